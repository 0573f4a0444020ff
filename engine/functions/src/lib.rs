//! Sprig v3.3.0 and Helm 4.3.1's template functions, with Helm's outputs.
//!
//! `helm_funcs()` is the function map Helm installs on its templates: Sprig
//! minus `env` and `expandenv`, plus Helm's own functions. Each module
//! registers one family; signatures mirror the Go ones so argument errors
//! read as Helm's do.

pub mod conv;
mod crypto;
pub mod dates;
mod dicts;
mod durations;
mod encoding;
mod flow;
pub mod helm;
pub mod json;
mod lists;
mod math;
mod paths;
mod random;
mod reflect;
mod regex;
pub mod semver;
mod strings;
pub mod toml;
mod urls;
pub mod yaml;

use rhelm_template::FuncMap;

/// Every Sprig v3.3.0 function (`sprig.TxtFuncMap()`), `env` and `expandenv` included.
pub fn sprig_funcs() -> FuncMap {
    // Sprig's functions and, from helm_funcs, Helm's: about 250.
    let mut m = FuncMap::with_capacity(300);
    strings::register(&mut m);
    conv::register(&mut m);
    math::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    flow::register(&mut m);
    reflect::register(&mut m);
    dates::register(&mut m);
    regex::register(&mut m);
    semver::register(&mut m);
    paths::register(&mut m);
    urls::register(&mut m);
    encoding::register(&mut m);
    random::register(&mut m);
    crypto::register(&mut m);
    json::register(&mut m);
    m
}

/// The functions Helm 4.3.1 installs (`pkg/engine/funcs.go`): Sprig without
/// `env`/`expandenv`, plus Helm's own. `include` and `tpl` are bound by the
/// renderer, which knows the template set.
pub fn helm_funcs() -> FuncMap {
    let mut m = sprig_funcs();
    m.remove("env");
    m.remove("expandenv");
    helm::register(&mut m);
    durations::register_durations(&mut m);
    yaml::register(&mut m);
    toml::register(&mut m);
    m
}
