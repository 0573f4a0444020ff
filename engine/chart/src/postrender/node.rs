//! yaml.v3's `Node`, as far as kyaml's round trip uses it.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Document,
    Sequence,
    Mapping,
    Scalar,
    Alias,
}

// yaml.v3 Style bits.
pub const TAGGED_STYLE: u8 = 1;
pub const DOUBLE_QUOTED_STYLE: u8 = 2;
pub const SINGLE_QUOTED_STYLE: u8 = 4;
pub const LITERAL_STYLE: u8 = 8;
pub const FOLDED_STYLE: u8 = 16;
pub const FLOW_STYLE: u8 = 32;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    pub style: u8,
    /// Short tag (`!!str`, `!!null`, `!!map`...), empty for nodes kyaml
    /// creates without one.
    pub tag: String,
    /// The scalar value, or an alias's anchor name.
    pub value: String,
    pub anchor: String,
    pub content: Vec<Node>,
    pub head_comment: String,
    pub line_comment: String,
    pub foot_comment: String,
}

/// The tag go-yaml v3's `resolve("", value)` gives a plain scalar, as far
/// as the round trip needs it: `!!null` and `!!merge` matter, every other
/// plain scalar is only compared with itself (reported as `!!plain`).
pub fn resolve_tag(value: &str) -> &'static str {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => "!!null",
        "<<" => "!!merge",
        _ => "!!plain",
    }
}

const LONG_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// go-yaml's `shortTag`.
pub fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// go-yaml's `longTag`.
pub fn long_tag(tag: &str) -> String {
    match tag.strip_prefix("!!") {
        Some(rest) => format!("{LONG_TAG_PREFIX}{rest}"),
        None => tag.to_string(),
    }
}

impl Node {
    pub fn scalar(value: &str) -> Node {
        Node { kind: Kind::Scalar, value: value.to_string(), ..Node::default() }
    }

    pub fn is_null(&self) -> bool {
        self.kind == Kind::Scalar && self.tag == "!!null"
    }

    /// The value node of the first `key` of a mapping.
    pub fn field(&self, key: &str) -> Option<&Node> {
        if self.kind != Kind::Mapping {
            return None;
        }
        self.content.chunks(2).find(|kv| kv.len() == 2 && kv[0].value == key).map(|kv| &kv[1])
    }

    pub fn field_mut(&mut self, key: &str) -> Option<&mut Node> {
        if self.kind != Kind::Mapping {
            return None;
        }
        self.content.chunks_mut(2).find(|kv| kv.len() == 2 && kv[0].value == key).map(|kv| &mut kv[1])
    }
}
