//! Go's `encoding/asn1.Unmarshal`, for the few structures Sprig's key parsing
//! decodes with it (PKCS #1, SEC 1, PKCS #8, Sprig's DSA format).
//!
//! Go reports malformed keys with this package's messages, which name the Go
//! struct and the byte offset (`asn1: structure error: tags don't match (16
//! vs {class:0 tag:0 length:0 isCompound:false}) {optional:false ...}
//! pkcs1PrivateKey @2`), and templates print them, so the parse follows
//! Go's `parseField` step by step: the same checks in the same order.

use std::fmt;

/// The Go type of a struct field, as far as decoding cares.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// Go `int` (64-bit).
    Int,
    /// `*big.Int`
    BigInt,
    /// `[]byte` (an OCTET STRING)
    Bytes,
    /// `asn1.ObjectIdentifier`
    Oid,
    /// `asn1.BitString`
    BitString,
    /// `asn1.RawValue`: any element.
    Raw,
    Struct(&'static StructDef),
    /// A slice of structs (SEQUENCE OF).
    SeqOf(&'static StructDef),
}

/// A struct field with its `asn1:"..."` tag options.
pub(crate) struct Field {
    pub kind: Kind,
    pub optional: bool,
    pub explicit: bool,
    pub tag: Option<u8>,
    pub omit_empty: bool,
}

impl Field {
    pub const fn plain(kind: Kind) -> Field {
        Field { kind, optional: false, explicit: false, tag: None, omit_empty: false }
    }
    pub const fn optional(kind: Kind) -> Field {
        Field { kind, optional: true, explicit: false, tag: None, omit_empty: false }
    }
    pub const fn explicit(kind: Kind, tag: u8) -> Field {
        Field { kind, optional: true, explicit: true, tag: Some(tag), omit_empty: false }
    }
}

pub(crate) struct StructDef {
    /// The Go type name, which errors print.
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// A decoded value. Integers keep their two's-complement bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val<'a> {
    /// An optional field that was not present.
    Absent,
    Int(i64),
    BigInt(&'a [u8]),
    Bytes(&'a [u8]),
    Oid(Vec<u64>),
    BitString(&'a [u8]),
    Raw(&'a [u8]),
    Struct(Vec<Val<'a>>),
    List(Vec<Val<'a>>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Asn1Error {
    Syntax(String),
    Structural(String),
}

impl fmt::Display for Asn1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Asn1Error::Syntax(m) => write!(f, "asn1: syntax error: {m}"),
            Asn1Error::Structural(m) => write!(f, "asn1: structure error: {m}"),
        }
    }
}

fn syntax<T>(msg: &str) -> Result<T, Asn1Error> {
    Err(Asn1Error::Syntax(msg.to_string()))
}

fn structural<T>(msg: &str) -> Result<T, Asn1Error> {
    Err(Asn1Error::Structural(msg.to_string()))
}

/// Go's `tagAndLength`, printed with `%+v` in mismatch errors.
#[derive(Clone, Copy)]
struct TagAndLength {
    class: u8,
    tag: u32,
    length: usize,
    compound: bool,
}

impl fmt::Display for TagAndLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{class:{} tag:{} length:{} isCompound:{}}}", self.class, self.tag, self.length, self.compound)
    }
}

/// Go's `fieldParameters` printed with `%+v`. A set `tag` is a pointer in
/// Go, printed as its (run-dependent) address; any address will do.
fn params_text(f: &Field) -> String {
    format!(
        "{{optional:{} explicit:{} application:false private:false defaultValue:<nil> tag:{} stringType:0 timeType:0 set:false omitEmpty:{}}}",
        f.optional,
        f.explicit,
        if f.tag.is_some() { "0xc000012345" } else { "<nil>" },
        f.omit_empty
    )
}

impl Kind {
    /// `reflect.Type.Name()`: empty for pointers and unnamed slices.
    fn type_name(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::BigInt | Kind::Bytes | Kind::SeqOf(_) => "",
            Kind::Oid => "ObjectIdentifier",
            Kind::BitString => "BitString",
            Kind::Raw => "RawValue",
            Kind::Struct(d) => d.name,
        }
    }

    /// `getUniversalType`: (tag, compound), or None for "match anything".
    fn universal(self) -> Option<(u32, bool)> {
        match self {
            Kind::Int | Kind::BigInt => Some((2, false)),
            Kind::BitString => Some((3, false)),
            Kind::Bytes => Some((4, false)),
            Kind::Oid => Some((6, false)),
            Kind::Struct(_) | Kind::SeqOf(_) => Some((16, true)),
            Kind::Raw => None,
        }
    }
}

/// `asn1.Unmarshal` into a struct: the values of its fields and the bytes
/// after the outer element.
pub(crate) fn unmarshal<'a>(def: &'static StructDef, bytes: &'a [u8]) -> Result<(Vec<Val<'a>>, &'a [u8]), Asn1Error> {
    let (val, offset) = parse_field(&Field::plain(Kind::Struct(def)), bytes, 0)?;
    let Val::Struct(fields) = val else { unreachable!("a struct field decodes to a struct") };
    Ok((fields, &bytes[offset..]))
}

/// `asn1.Unmarshal` into a single non-struct value.
pub(crate) fn unmarshal_field<'a>(field: &Field, bytes: &'a [u8]) -> Result<(Val<'a>, &'a [u8]), Asn1Error> {
    let (val, offset) = parse_field(field, bytes, 0)?;
    Ok((val, &bytes[offset..]))
}

fn parse_base128(bytes: &[u8], mut offset: usize) -> Result<(u32, usize), Asn1Error> {
    let mut ret: i64 = 0;
    let mut shifted = 0;
    while offset < bytes.len() {
        if shifted == 5 {
            return structural("base 128 integer too large");
        }
        ret <<= 7;
        let b = bytes[offset];
        if shifted == 0 && b == 0x80 {
            return syntax("integer is not minimally encoded");
        }
        offset += 1;
        ret |= i64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if ret > i64::from(i32::MAX) {
                return structural("base 128 integer too large");
            }
            return Ok((ret as u32, offset));
        }
        shifted += 1;
    }
    syntax("truncated base 128 integer")
}

fn parse_tag_and_length(bytes: &[u8], mut offset: usize) -> Result<(TagAndLength, usize), Asn1Error> {
    let b = bytes[offset];
    offset += 1;
    let mut t = TagAndLength { class: b >> 6, tag: u32::from(b & 0x1f), length: 0, compound: b & 0x20 != 0 };
    if t.tag == 0x1f {
        let (tag, next) = parse_base128(bytes, offset)?;
        offset = next;
        if tag < 0x1f {
            return syntax("non-minimal tag");
        }
        t.tag = tag;
    }
    let Some(&b) = bytes.get(offset) else { return syntax("truncated tag or length") };
    offset += 1;
    if b & 0x80 == 0 {
        t.length = usize::from(b & 0x7f);
    } else {
        let num_bytes = usize::from(b & 0x7f);
        if num_bytes == 0 {
            return syntax("indefinite length found (not DER)");
        }
        for _ in 0..num_bytes {
            let Some(&b) = bytes.get(offset) else { return syntax("truncated tag or length") };
            offset += 1;
            if t.length >= 1 << 23 {
                return structural("length too large");
            }
            t.length = t.length << 8 | usize::from(b);
            if t.length == 0 {
                return structural("superfluous leading zeros in length");
            }
        }
        if t.length < 0x80 {
            return structural("non-minimal length");
        }
    }
    Ok((t, offset))
}

fn check_integer(bytes: &[u8]) -> Result<(), Asn1Error> {
    match bytes {
        [] => structural("empty integer"),
        [0, b, ..] if b & 0x80 == 0 => structural("integer not minimally-encoded"),
        [0xff, b, ..] if b & 0x80 != 0 => structural("integer not minimally-encoded"),
        _ => Ok(()),
    }
}

fn parse_oid(bytes: &[u8]) -> Result<Vec<u64>, Asn1Error> {
    if bytes.is_empty() {
        return syntax("zero length OBJECT IDENTIFIER");
    }
    let (v, mut offset) = parse_base128(bytes, 0)?;
    let v = u64::from(v);
    let mut arcs = if v < 80 { vec![v / 40, v % 40] } else { vec![2, v - 80] };
    while offset < bytes.len() {
        let (v, next) = parse_base128(bytes, offset)?;
        arcs.push(u64::from(v));
        offset = next;
    }
    Ok(arcs)
}

fn check_bit_string(bytes: &[u8]) -> Result<(), Asn1Error> {
    let Some(&padding) = bytes.first() else { return syntax("zero length BIT STRING") };
    if padding > 7
        || (bytes.len() == 1 && padding > 0)
        || bytes.last().is_some_and(|&b| b & ((1u16 << padding) - 1) as u8 != 0)
    {
        return syntax("invalid padding bits in BIT STRING");
    }
    Ok(())
}

/// Go's `parseField`: one field starting at `init`; returns the offset after it.
fn parse_field<'a>(field: &Field, bytes: &'a [u8], init: usize) -> Result<(Val<'a>, usize), Asn1Error> {
    if init == bytes.len() {
        // Out of data: fine for an optional trailing field.
        return if field.optional { Ok((Val::Absent, init)) } else { syntax("sequence truncated") };
    }
    let (mut t, mut offset) = parse_tag_and_length(bytes, init)?;
    if field.explicit {
        if offset == bytes.len() {
            return structural("explicit tag has no child");
        }
        let tag = field.tag.map(u32::from);
        if t.class == 2 && Some(t.tag) == tag && (t.length == 0 || t.compound) {
            if matches!(field.kind, Kind::Raw) {
                // The wrapper itself is the raw value.
            } else if t.length > 0 {
                (t, offset) = parse_tag_and_length(bytes, offset)?;
            } else {
                return structural("zero length explicit tag was not an asn1.Flag");
            }
        } else if field.optional {
            return Ok((Val::Absent, init));
        } else {
            return structural("explicitly tagged member didn't match");
        }
    }

    let universal = field.kind.universal();
    let (expected_class, expected_tag, match_any_class_and_tag) = match (field.explicit, field.tag) {
        (false, Some(tag)) => (2, u32::from(tag), false),
        _ => (0, universal.map_or(0, |u| u.0), universal.is_none()),
    };
    let compound_mismatch = universal.is_some_and(|(_, compound)| t.compound != compound);
    if (!match_any_class_and_tag && (t.class != expected_class || t.tag != expected_tag)) || compound_mismatch {
        if field.optional {
            return Ok((Val::Absent, init));
        }
        return Err(Asn1Error::Structural(format!(
            "tags don't match ({} vs {}) {} {} @{}",
            expected_tag,
            t,
            params_text(field),
            field.kind.type_name(),
            offset
        )));
    }
    if offset.checked_add(t.length).is_none_or(|end| end > bytes.len()) {
        return syntax("data truncated");
    }
    let inner = &bytes[offset..offset + t.length];
    offset += t.length;

    let val = match field.kind {
        Kind::Raw => Val::Raw(&bytes[init..offset]),
        Kind::Oid => Val::Oid(parse_oid(inner)?),
        Kind::BitString => {
            check_bit_string(inner)?;
            Val::BitString(&inner[1..])
        }
        Kind::BigInt => {
            check_integer(inner)?;
            Val::BigInt(inner)
        }
        Kind::Int => {
            check_integer(inner)?;
            if inner.len() > 8 {
                return structural("integer too large");
            }
            Val::Int(super::der::int64_of(inner).unwrap_or(0))
        }
        Kind::Bytes => Val::Bytes(inner),
        Kind::Struct(def) => {
            let mut values = Vec::with_capacity(def.fields.len());
            let mut inner_offset = 0;
            for f in def.fields {
                let (v, next) = parse_field(f, inner, inner_offset)?;
                values.push(v);
                inner_offset = next;
            }
            // Trailing elements inside a SEQUENCE are allowed.
            Val::Struct(values)
        }
        Kind::SeqOf(def) => Val::List(parse_sequence_of(def, inner)?),
    };
    Ok((val, offset))
}

/// Go's `parseSequenceOf` for a slice of structs.
fn parse_sequence_of<'a>(def: &'static StructDef, bytes: &'a [u8]) -> Result<Vec<Val<'a>>, Asn1Error> {
    let mut offset = 0;
    let mut count = 0;
    while offset < bytes.len() {
        let (t, next) = parse_tag_and_length(bytes, offset)?;
        if t.class != 0 || !t.compound || t.tag != 16 {
            return structural("sequence tag mismatch");
        }
        if next.checked_add(t.length).is_none_or(|end| end > bytes.len()) {
            return syntax("truncated sequence");
        }
        offset = next + t.length;
        count += 1;
    }
    let elem = Field::plain(Kind::Struct(def));
    let mut items = Vec::with_capacity(count);
    let mut offset = 0;
    for _ in 0..count {
        let (v, next) = parse_field(&elem, bytes, offset)?;
        items.push(v);
        offset = next;
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    static PAIR: StructDef =
        StructDef { name: "pair", fields: &[Field::plain(Kind::Int), Field::optional(Kind::BigInt)] };

    #[test]
    fn decodes_structs() {
        let (v, rest) = unmarshal(&PAIR, &[0x30, 0x03, 0x02, 0x01, 0x07, 0xaa]).unwrap();
        assert_eq!(v, vec![Val::Int(7), Val::Absent]);
        assert_eq!(rest, &[0xaa]);
    }

    #[test]
    fn reports_go_errors() {
        let e = unmarshal(&PAIR, &[0, 0, 0]).unwrap_err().to_string();
        assert_eq!(
            e,
            "asn1: structure error: tags don't match (16 vs {class:0 tag:0 length:0 isCompound:false}) \
             {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> \
             stringType:0 timeType:0 set:false omitEmpty:false} pair @2"
        );
        assert_eq!(unmarshal(&PAIR, &[0x30, 0x00]).unwrap_err().to_string(), "asn1: syntax error: sequence truncated");
        assert_eq!(unmarshal(&PAIR, &[0x30, 0x05, 2]).unwrap_err().to_string(), "asn1: syntax error: data truncated");
        assert_eq!(unmarshal(&PAIR, &[0x30]).unwrap_err().to_string(), "asn1: syntax error: truncated tag or length");
    }
}
