//! Helm 4.3.1 exposes exactly these 233 function names on top of Go's
//! builtins (verified on the binary by parsing `{{ if false }}{{ NAME }}{{ end }}`
//! for every candidate; ../shared/helm-spec.md 4.2): Sprig's 211 minus `env`
//! and `expandenv`, Helm's 12, and the 12 added in 4.3.

const HELM_4_3_1_FUNCTIONS: [&str; 233] = [
    "abbrev", "abbrevboth", "add", "add1", "add1f", "addf",
    "adler32sum", "ago", "all", "any", "append", "atoi",
    "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt",
    "biggest", "buildCustomCert", "camelcase", "cat", "ceil", "chunk",
    "clean", "coalesce", "compact", "concat", "contains", "date",
    "dateInZone", "dateModify", "date_in_zone", "date_modify", "decryptAES", "deepCopy",
    "deepEqual", "default", "derivePassword", "dict", "dig", "dir",
    "div", "divf", "duration", "durationDays", "durationHours", "durationMicroseconds",
    "durationMilliseconds", "durationMinutes", "durationNanoseconds", "durationRound", "durationRoundTo", "durationSeconds",
    "durationTruncateTo", "durationWeeks", "empty", "encryptAES", "ext", "fail",
    "first", "float64", "floor", "fromJson", "fromJsonArray", "fromToml",
    "fromYaml", "fromYamlArray", "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert",
    "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "get", "getHostByName", "has",
    "hasKey", "hasPrefix", "hasSuffix", "hello", "htmlDate", "htmlDateInZone",
    "htpasswd", "include", "indent", "initial", "initials", "int",
    "int64", "isAbs", "join", "kebabcase", "keys", "kindIs",
    "kindOf", "last", "list", "lookup", "lower", "max",
    "maxf", "merge", "mergeOverwrite", "min", "minf", "mod",
    "mul", "mulf", "mustAppend", "mustChunk", "mustCompact", "mustDateModify",
    "mustDeepCopy", "mustFirst", "mustFromJson", "mustHas", "mustInitial", "mustLast",
    "mustMerge", "mustMergeOverwrite", "mustPrepend", "mustPush", "mustRegexFind", "mustRegexFindAll",
    "mustRegexMatch", "mustRegexReplaceAll", "mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest", "mustReverse",
    "mustSlice", "mustToDate", "mustToDuration", "mustToJson", "mustToPrettyJson", "mustToRawJson",
    "mustToToml", "mustToYaml", "mustUniq", "mustWithout", "must_date_modify", "nindent",
    "nospace", "now", "omit", "osBase", "osClean", "osDir",
    "osExt", "osIsAbs", "pick", "pluck", "plural", "prepend",
    "push", "quote", "randAlpha", "randAlphaNum", "randAscii", "randBytes",
    "randInt", "randNumeric", "regexFind", "regexFindAll", "regexMatch", "regexQuoteMeta",
    "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit", "repeat", "replace", "required",
    "rest", "reverse", "round", "semver", "semverCompare", "seq",
    "set", "sha1sum", "sha256sum", "sha512sum", "shuffle", "slice",
    "snakecase", "sortAlpha", "split", "splitList", "splitn", "squote",
    "sub", "subf", "substr", "swapcase", "ternary", "title",
    "toDate", "toDecimal", "toJson", "toPrettyJson", "toRawJson", "toString",
    "toStrings", "toToml", "toYaml", "toYamlPretty", "tpl", "trim",
    "trimAll", "trimPrefix", "trimSuffix", "trimall", "trunc", "tuple",
    "typeIs", "typeIsLike", "typeOf", "uniq", "unixEpoch", "unset",
    "until", "untilStep", "untitle", "upper", "urlJoin", "urlParse",
    "uuidv4", "values", "without", "wrap", "wrapWith",
];

/// Go's text/template builtins; Helm's map shadows `slice` with Sprig's.
const GO_BUILTINS: [&str; 18] =
    ["and", "call", "html", "index", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ne", "lt", "le", "gt", "ge"];

#[test]
fn every_helm_function_is_registered() {
    let funcs = rhelm_functions::helm_funcs();
    let missing: Vec<&str> = HELM_4_3_1_FUNCTIONS.iter().copied().filter(|n| !funcs.contains(n)).collect();
    assert!(missing.is_empty(), "{} of 233 Helm functions are missing: {missing:?}", missing.len());
}

#[test]
fn no_function_helm_lacks_is_registered() {
    let funcs = rhelm_functions::helm_funcs();
    let mut extra: Vec<&str> =
        funcs.names().filter(|n| !HELM_4_3_1_FUNCTIONS.contains(n) && !GO_BUILTINS.contains(n)).collect();
    extra.sort();
    assert!(extra.is_empty(), "registered but not in Helm 4.3.1: {extra:?}");
    for absent in ["env", "expandenv", "toDuration"] {
        assert!(!funcs.contains(absent), "{absent} must stay absent, as in Helm");
    }
}
