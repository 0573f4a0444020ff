//! `--history-max` on the test cluster, helm 4.3.1 against rhelm: upgrades
//! and rollbacks prune the oldest revisions but never the deployed one.

mod common;
mod support;

use common::{release_chart, Env};
use support::Diffs;

fn revisions(env: &Env, ns: &str) -> String {
    support::storage_labels(env, ns, "hm", "secret")
}

#[test]
fn history_max_prunes_like_helm() {
    let env = Env::new();
    let hns = env.namespace("mh");
    let rns = env.namespace("mr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    d.step(&env, &hns, &rns, &["install", "hm", &chart, "-n", "{ns}", "--create-namespace"]);
    for (i, data) in ["two", "three", "four"].iter().enumerate() {
        let set = format!("data={data}");
        d.step(&env, &hns, &rns, &["upgrade", "hm", &chart, "-n", "{ns}", "--history-max", "2", "--set", &set]);
        d.equal(&format!("records after upgrade {}", i + 2), &revisions(&env, &hns), &revisions(&env, &rns));
    }
    d.step(&env, &hns, &rns, &["history", "hm", "-n", "{ns}"]);
    // Failed upgrades (an invalid object name) pile up after the deployed
    // revision, which pruning keeps.
    for i in 0..3 {
        d.step(&env, &hns, &rns, &["upgrade", "hm", &chart, "-n", "{ns}", "--history-max", "2", "--set", "extra=Bad_Name"]);
        d.equal(&format!("records after failed upgrade {i}"), &revisions(&env, &hns), &revisions(&env, &rns));
    }
    d.step(&env, &hns, &rns, &["history", "hm", "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["rollback", "hm", "-n", "{ns}", "--history-max", "2"]);
    d.equal("records after rollback", &revisions(&env, &hns), &revisions(&env, &rns));
    d.step(&env, &hns, &rns, &["history", "hm", "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["rollback", "hm", "4", "-n", "{ns}", "--history-max", "3"]);
    d.step(&env, &hns, &rns, &["history", "hm", "-n", "{ns}"]);
    d.equal("records at the end", &revisions(&env, &hns), &revisions(&env, &rns));
    d.assert_none();
}
