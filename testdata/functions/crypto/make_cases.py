#!/usr/bin/env python3
"""Writes cases.yaml for the crypto family.

Outputs of the crypto functions are random, so the cases are the
deterministic ones: derivePassword, key re-marshalling (a key passed to a
*WithKey function comes back as Go marshals it), shapes (prefixes and
lengths), round trips, and the error paths, many of them on DER that this
script damages on purpose (to reach Go's x509 and encoding/asn1 messages).

Inputs: helm-samples.json (keys, certificates and AES ciphertexts made by
Helm 4.3.1's own functions) and keys/*.pem (made by OpenSSL).
Run: python3 testdata/functions/crypto/make_cases.py; then
scripts/gen-template-golden --cases testdata/functions/crypto/cases.yaml
"""
import base64
import json
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
S = json.load(open(os.path.join(HERE, "helm-samples.json")))
KEYS = {n[:-4]: open(os.path.join(HERE, "keys", n)).read() for n in os.listdir(os.path.join(HERE, "keys"))}

cases = []


def case(name, tpl, values=None):
    # Names are "category/description" in lower case: genCAWithKey → gencawithkey.
    category, _, desc = name.partition("/")
    name = category.lower() + "/" + desc.replace("/", "-").lower()
    c = {"name": name, "tpl": tpl}
    if values is not None:
        c["values"] = values
    cases.append(c)


# ---------------------------------------------------------------- DER helpers

def read_tlv(b, i=0):
    tag = b[i]
    ln = b[i + 1]
    j = i + 2
    if ln & 0x80:
        n = ln & 0x7F
        ln = int.from_bytes(b[j:j + n], "big")
        j += n
    return tag, b[j:j + ln], j + ln


def children(content):
    out, i = [], 0
    while i < len(content):
        tag, body, i = read_tlv(content, i)
        out.append((tag, body))
    return out


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + ln + body


def seq(*parts):
    return tlv(0x30, b"".join(parts))


def enc(node):
    return tlv(node[0], node[1])


def pem(kind, der):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return f"-----BEGIN {kind}-----\n" + "".join(l + "\n" for l in lines) + f"-----END {kind}-----\n"


def unpem(text):
    body = "".join(l for l in text.strip().splitlines() if not l.startswith("-----"))
    return base64.b64decode(body)


def b64(s):
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


def oid(*arcs):
    out = [arcs[0] * 40 + arcs[1]]
    body = b""
    for a in out + list(arcs[2:]):
        groups = [a & 0x7F]
        a >>= 7
        while a:
            groups.append((a & 0x7F) | 0x80)
            a >>= 7
        body += bytes(reversed(groups))
    return tlv(6, body)


def integer(v):
    n = (v.bit_length() + 8) // 8 if v >= 0 else ((-v - 1).bit_length() + 8) // 8
    return tlv(2, v.to_bytes(max(n, 1), "big", signed=True))


# ---------------------------------------------------------------- certificates

CA_CERT, CA_KEY = S["ca_cert"], S["ca_key"]
CA_DER = unpem(CA_CERT)
# certificate = SEQUENCE { tbs, sigAlg, signature }
_, CERT_BODY, _ = read_tlv(CA_DER)
TBS, SIGALG, SIG = children(CERT_BODY)
TBS_FIELDS = children(TBS[1])  # [0] version, serial, sigalg, issuer, validity, subject, spki, [3] exts


def cert_with(tbs_fields=None, sigalg=None, sig=None, trailing=b""):
    fields = tbs_fields if tbs_fields is not None else TBS_FIELDS
    tbs = seq(*[enc(f) for f in fields])
    return seq(tbs, enc(sigalg or SIGALG), enc(sig or SIG)) + trailing


def replace(i, node):
    f = list(TBS_FIELDS)
    f[i] = node
    return f


EXTS = children(children(TBS_FIELDS[7][1])[0][1])  # list of (0x30, ext body)


def with_exts(*exts):
    return replace(7, (0xA3, seq(*exts)))


def ext(arcs, value, critical=False):
    return seq(oid(*arcs), b"\x01\x01\xff" if critical else b"", tlv(4, value))


name = lambda cn_tag, cn: seq(tlv(0x31, seq(oid(2, 5, 4, 3), tlv(cn_tag, cn))))
validity = lambda a, b: seq(a, b)
ok_key = b64(CA_KEY)

bad_certs = {
    "garbage": pem("CERTIFICATE", b"\x00\x00\x00"),
    "trailing-data": pem("CERTIFICATE", cert_with(trailing=b"\x00")),
    "truncated": pem("CERTIFICATE", CA_DER[:100]),
    "no-tbs": pem("CERTIFICATE", seq(integer(1))),
    "version-5": pem("CERTIFICATE", cert_with(replace(0, (0xA0, integer(5))))),
    "version-4": pem("CERTIFICATE", cert_with(replace(0, (0xA0, integer(3))))),
    "negative-serial": pem("CERTIFICATE", cert_with(replace(1, (2, b"\xff\x01")))),
    "sigalg-mismatch": pem("CERTIFICATE", cert_with(sigalg=(0x30, oid(1, 2, 840, 113549, 1, 1, 5) + b"\x05\x00"))),
    "issuer-not-seq": pem("CERTIFICATE", cert_with(replace(3, (0x31, b"")))),
    "bad-printable": pem("CERTIFICATE", cert_with(replace(5, (0x30, name(0x13, b"a@b")[2:])))),
    "bad-utf8-cn": pem("CERTIFICATE", cert_with(replace(5, (0x30, name(0x0C, b"\xff")[2:])))),
    "bad-utctime": pem("CERTIFICATE", cert_with(replace(4, (0x30, tlv(0x17, b"261322213918Z") + tlv(0x17, b"271122213918Z"))))),
    "generalized-time": pem("CERTIFICATE", cert_with(replace(4, (0x30, tlv(0x18, b"20261122213918Z") + tlv(0x18, b"20991122213918Z"))))),
    "bad-generalized": pem("CERTIFICATE", cert_with(replace(4, (0x30, tlv(0x18, b"20261122213918.10Z") + tlv(0x17, b"271122213918Z"))))),
    "time-integer": pem("CERTIFICATE", cert_with(replace(4, (0x30, integer(1) + integer(2))))),
    "minute-utctime": pem("CERTIFICATE", cert_with(replace(4, (0x30, tlv(0x17, b"2611222139Z") + tlv(0x17, b"2711222139+0130"))))),
    "rsa-no-null": pem("CERTIFICATE", cert_with(replace(6, (0x30, seq(oid(1, 2, 840, 113549, 1, 1, 1)) + enc(children(TBS_FIELDS[6][1])[1]))))),
    "unknown-key-alg": pem("CERTIFICATE", cert_with(replace(6, (0x30, seq(oid(1, 2, 3, 4)) + tlv(3, b"\x00abc"))))),
    "ed25519-params": pem("CERTIFICATE", cert_with(replace(6, (0x30, seq(oid(1, 3, 101, 112), b"\x05\x00") + tlv(3, b"\x00" + b"k" * 32))))),
    "ed25519-short": pem("CERTIFICATE", cert_with(replace(6, (0x30, seq(oid(1, 3, 101, 112)) + tlv(3, b"\x00" + b"k" * 31))))),
    "ec-unknown-curve": pem("CERTIFICATE", cert_with(replace(6, (0x30, seq(oid(1, 2, 840, 10045, 2, 1), oid(1, 2, 3)) + tlv(3, b"\x00\x04" + b"k" * 64))))),
    "ec-no-params": pem("CERTIFICATE", cert_with(replace(6, (0x30, seq(oid(1, 2, 840, 10045, 2, 1)) + tlv(3, b"\x00\x04" + b"k" * 64))))),
    "duplicate-ext": pem("CERTIFICATE", cert_with(with_exts(enc(EXTS[0]), enc(EXTS[0])))),
    "critical-ski": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 14), tlv(4, b"1234"), critical=True)))),
    "critical-aki": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 35), seq(tlv(0x80, b"1234")), critical=True)))),
    "san-ip-5": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 17), seq(tlv(0x87, b"12345")))))),
    "san-mapped-ip": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 17), seq(tlv(0x87, b"\x00" * 10 + b"\xff\xff\x01\x02\x03\x04")))))),
    "san-dns-non-ascii": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 17), seq(tlv(0x82, "é.example".encode())))))),
    "bc-negative-pathlen": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 19), seq(b"\x01\x01\xff", integer(-1)))))),
    "ku-not-bitstring": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 15), integer(5))))),
    "eku-bad": pem("CERTIFICATE", cert_with(with_exts(ext((2, 5, 29, 37), seq(integer(1)))))),
    "ext-not-octet": pem("CERTIFICATE", cert_with(with_exts(seq(oid(2, 5, 29, 14), integer(1))))),
    "unknown-critical-ext": pem("CERTIFICATE", cert_with(with_exts(ext((1, 2, 3, 4), b"\x05\x00", critical=True)))),
    "no-signature": pem("CERTIFICATE", seq(enc(TBS), enc(SIGALG))),
    "v1-cert": pem("CERTIFICATE", cert_with(TBS_FIELDS[1:7])),
    "cert-in-wrong-pem-type": pem("X509 CERTIFICATE", CA_DER),
}

for label, text in bad_certs.items():
    case(f"buildCustomCert/cert-{label}", "{{ (buildCustomCert .Values.c .Values.k).Cert | len | print }}",
         {"c": b64(text), "k": ok_key})

case("buildCustomCert/valid-ca-returns-inputs", "{{ $c := buildCustomCert .Values.c .Values.k }}{{ eq $c.Cert .Values.cert }}|{{ eq $c.Key .Values.key }}|{{ printf \"%T\" $c }}",
     {"c": b64(CA_CERT), "k": ok_key, "cert": CA_CERT, "key": CA_KEY})
case("buildCustomCert/valid-leaf", "{{ (buildCustomCert .Values.c .Values.k).Key | len }}", {"c": b64(S["leaf_cert"]), "k": b64(S["leaf_key"])})
case("buildCustomCert/valid-ec-ca", "{{ (buildCustomCert .Values.c .Values.k).Cert | eq .Values.cert }}",
     {"c": b64(S["ec_ca_cert"]), "k": b64(S["ec_ca_key"]), "cert": S["ec_ca_cert"]})
case("buildCustomCert/valid-ed-ca", "{{ (buildCustomCert .Values.c .Values.k).Cert | eq .Values.cert }}",
     {"c": b64(S["ed_ca_cert"]), "k": b64(S["ed_ca_key"]), "cert": S["ed_ca_cert"]})
case("buildCustomCert/mismatched-key-accepted", "{{ (buildCustomCert .Values.c .Values.k).Key | len }}",
     {"c": b64(CA_CERT), "k": b64(S["ecdsa"])})
case("buildCustomCert/print-struct", "{{ buildCustomCert .Values.c .Values.k }}", {"c": b64(S["ed_ca_cert"]), "k": b64(S["ed_ca_key"])})
case("buildCustomCert/bad-base64-cert", "{{ buildCustomCert \"!!\" \"\" }}")
case("buildCustomCert/bad-base64-key", "{{ buildCustomCert .Values.c \"a\" }}", {"c": b64(CA_CERT)})
case("buildCustomCert/empty-strings", "{{ buildCustomCert \"\" \"\" }}")
case("buildCustomCert/not-pem", "{{ buildCustomCert .Values.c .Values.k }}", {"c": b64("hello"), "k": ok_key})
case("buildCustomCert/key-not-pem", "{{ buildCustomCert .Values.c .Values.k }}", {"c": b64(CA_CERT), "k": b64("hello")})
case("buildCustomCert/key-is-cert", "{{ buildCustomCert .Values.c .Values.c }}", {"c": b64(CA_CERT)})
case("buildCustomCert/base64-with-newlines", "{{ (buildCustomCert .Values.c .Values.k).Cert | len }}",
     {"c": "\n".join(b64(CA_CERT)[i:i + 76] for i in range(0, len(b64(CA_CERT)), 76)), "k": ok_key})
case("buildCustomCert/wrong-arg-type", "{{ buildCustomCert 1 2 }}")
case("buildCustomCert/missing-args", "{{ buildCustomCert \"a\" }}")

# ---------------------------------------------------------------- private keys

def rsa_fields(text):
    _, body, _ = read_tlv(unpem(text))
    return [b for _, b in children(body)]


RSA_F = rsa_fields(KEYS["rsa1024"])


def rsa_der(fields, version=0, extra=b""):
    return seq(integer(version), *[tlv(2, f) for f in fields[1:]], extra)


EC_DER = unpem(S["ecdsa"])
_, EC_BODY, _ = read_tlv(EC_DER)
EC_F = children(EC_BODY)  # version, octets, [0] oid, [1] point
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
ED_DER = unpem(KEYS["ed"])


def pkcs8(alg, private, params=b""):
    return seq(integer(0), seq(alg, params), tlv(4, private))


bad_keys = {
    "junk": "junk",
    "empty": "",
    "certificate-block": CA_CERT,
    "unknown-type": pem("FOO PRIVATE KEY", b"\x00"),
    "bare-private-key-suffix": pem("OPENSSH PRIVATE KEY", b"\x00"),
    "public-key-block": pem("PUBLIC KEY", b"\x00"),
    "rsa-garbage": pem("RSA PRIVATE KEY", b"\x00\x00\x00"),
    "rsa-truncated-seq": pem("RSA PRIVATE KEY", seq(integer(0))),
    "rsa-data-truncated": pem("RSA PRIVATE KEY", b"\x30\x05\x02\x01"),
    "rsa-trailing": pem("RSA PRIVATE KEY", rsa_der(RSA_F) + b"\x00"),
    "rsa-version-2": pem("RSA PRIVATE KEY", rsa_der(RSA_F, version=2)),
    "rsa-zero-n": pem("RSA PRIVATE KEY", seq(integer(0), integer(0), *[tlv(2, f) for f in RSA_F[2:]])),
    "rsa-non-minimal-int": pem("RSA PRIVATE KEY", seq(b"\x02\x02\x00\x01", *[tlv(2, f) for f in RSA_F[1:]])),
    "rsa-huge-version": pem("RSA PRIVATE KEY", seq(tlv(2, b"\x01" * 9), *[tlv(2, f) for f in RSA_F[1:]])),
    "rsa-non-minimal-length": pem("RSA PRIVATE KEY", b"\x30\x81\x03\x02\x01\x00"),
    "rsa-indefinite-length": pem("RSA PRIVATE KEY", b"\x30\x80\x02\x01\x00\x00\x00"),
    "rsa-empty-integer": pem("RSA PRIVATE KEY", seq(b"\x02\x00")),
    "rsa-holds-ec-key": pem("RSA PRIVATE KEY", EC_DER),
    "rsa-holds-pkcs8": pem("RSA PRIVATE KEY", ED_DER),
    "rsa-missing-crt": pem("RSA PRIVATE KEY", seq(*[tlv(2, f) for f in RSA_F[:6]])),
    "ec-garbage": pem("EC PRIVATE KEY", b"\x00\x00\x00"),
    "ec-holds-pkcs8": pem("EC PRIVATE KEY", ED_DER),
    "ec-holds-rsa": pem("EC PRIVATE KEY", unpem(KEYS["rsa1024"])),
    "ec-version-2": pem("EC PRIVATE KEY", seq(integer(2), *[enc(f) for f in EC_F[1:]])),
    "ec-unknown-curve": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), enc(EC_F[1]), tlv(0xA0, oid(1, 2, 3)))),
    "ec-no-curve": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), enc(EC_F[1]))),
    "ec-scalar-too-big": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, P256_N.to_bytes(32, "big")), enc(EC_F[2]))),
    "ec-scalar-over-order": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, (P256_N + 1).to_bytes(32, "big")), enc(EC_F[2]))),
    "ec-scalar-all-ones": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, b"\xff" * 32), enc(EC_F[2]))),
    "ec-scalar-zero": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, b"\x00" * 32), enc(EC_F[2]), enc(EC_F[3]))),
    "ec-scalar-empty": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, b""), enc(EC_F[2]))),
    "ec-scalar-long": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, b"\x01" + EC_F[1][1]), enc(EC_F[2]))),
    "ec-bad-explicit": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), enc(EC_F[1]), tlv(0xA0, b""))),
    "pkcs8-garbage": pem("PRIVATE KEY", b"\x00\x00\x00"),
    "pkcs8-holds-ec": pem("PRIVATE KEY", EC_DER),
    "pkcs8-holds-rsa": pem("PRIVATE KEY", unpem(KEYS["rsa1024"])),
    "pkcs8-unknown-alg": pem("PRIVATE KEY", pkcs8(oid(1, 2, 3, 4), b"")),
    "pkcs8-ed25519-short": pem("PRIVATE KEY", pkcs8(oid(1, 3, 101, 112), tlv(4, b"k" * 31))),
    "pkcs8-ed25519-params": pem("PRIVATE KEY", pkcs8(oid(1, 3, 101, 112), tlv(4, b"k" * 32), b"\x05\x00")),
    "pkcs8-ed25519-not-octets": pem("PRIVATE KEY", pkcs8(oid(1, 3, 101, 112), integer(1))),
    "pkcs8-rsa-garbage": pem("PRIVATE KEY", pkcs8(oid(1, 2, 840, 113549, 1, 1, 1), b"\x00\x00", b"\x05\x00")),
    "pkcs8-ec-garbage": pem("PRIVATE KEY", pkcs8(oid(1, 2, 840, 10045, 2, 1), b"\x00\x00", oid(1, 2, 840, 10045, 3, 1, 7))),
    "pkcs8-ec-unknown-curve": pem("PRIVATE KEY", pkcs8(oid(1, 2, 840, 10045, 2, 1), seq(integer(1), enc(EC_F[1])), oid(1, 2, 3))),
    "dsa-garbage": pem("DSA PRIVATE KEY", b"\x00\x00\x00"),
    "dsa-short": pem("DSA PRIVATE KEY", seq(integer(0), integer(1))),
    "dsa-valid-cannot-sign": S["dsa"],
    "x25519-cannot-sign": KEYS["x25519"],
    "rsa-512-insecure": KEYS["rsa512"],
}
for label, text in bad_keys.items():
    case(f"genCAWithKey/{label}", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | len }}", {"k": text})

good_keys = {"ecdsa-p256-helm": S["ecdsa"], "ed25519-helm": S["ed25519"], "ed25519-openssl": KEYS["ed"],
             "ecdsa-p224": KEYS["p224"], "ecdsa-p384": KEYS["p384"], "ecdsa-p521": KEYS["p521"], "rsa-1024": KEYS["rsa1024"],
             "rsa-2048": KEYS["rsa2048"], "rsa-4096-helm": S["rsa4096"], "helm-ca-key": CA_KEY}
for label, text in good_keys.items():
    case(f"genCAWithKey/key-comes-back-as-go-marshals-it/{label}",
         "{{ $c := genCAWithKey \"my ca\" 365 .Values.k }}{{ eq $c.Key .Values.k }} {{ printf \"%.28s\" $c.Cert }}", {"k": text})
case("genCAWithKey/key-with-leading-text", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | eq .Values.want }}", {"k": "leading junk\n" + S["ecdsa"], "want": S["ecdsa"]})
case("genCAWithKey/pkcs8-ec-key-becomes-sec1", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | eq .Values.want }}",
     {"k": pem("PRIVATE KEY", pkcs8(oid(1, 2, 840, 10045, 2, 1), EC_DER, oid(1, 2, 840, 10045, 3, 1, 7))), "want": S["ecdsa"]})
case("genCAWithKey/pkcs8-rsa-key-becomes-pkcs1", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | eq .Values.want }}",
     {"k": pem("PRIVATE KEY", pkcs8(oid(1, 2, 840, 113549, 1, 1, 1), unpem(KEYS["rsa1024"]), b"\x05\x00")), "want": KEYS["rsa1024"]})
case("genCAWithKey/ec-key-without-public-part", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | eq .Values.want }}",
     {"k": pem("EC PRIVATE KEY", seq(*[enc(f) for f in EC_F[:3]])), "want": S["ecdsa"]})
case("genCAWithKey/ec-embedded-public-key-ignored", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | eq .Values.want }}",
     {"k": pem("EC PRIVATE KEY", seq(*[enc(f) for f in EC_F[:3]], enc(children(read_tlv(unpem(S["ec_ca_key"]))[1])[3]))), "want": S["ecdsa"]})
case("genCAWithKey/ec-scalar-short-padded", "{{ (genCAWithKey \"x\" 1 .Values.k).Key | len }}",
     {"k": pem("EC PRIVATE KEY", seq(enc(EC_F[0]), tlv(4, b"\x00" + EC_F[1][1]), enc(EC_F[2])))})
case("genCAWithKey/wrong-days-type", "{{ genCAWithKey \"x\" \"1\" \"k\" }}")
case("genCAWithKey/values-number-days", "{{ genCAWithKey \"x\" .Values.d \"k\" }}", {"d": 3})
case("genCAWithKey/negative-days", "{{ (genCAWithKey \"x\" -1 .Values.k).Key | eq .Values.k }}", {"k": S["ecdsa"]})
case("genCAWithKey/huge-days-wraps", "{{ (genCAWithKey \"x\" 9223372036854775807 .Values.k).Key | eq .Values.k }}", {"k": S["ecdsa"]})
case("genCAWithKey/unicode-cn", "{{ (genCAWithKey \"ünïcødé ✓\" 1 .Values.k).Key | eq .Values.k }}", {"k": S["ed25519"]})
case("genCAWithKey/empty-cn", "{{ (genCAWithKey \"\" 1 .Values.k).Key | eq .Values.k }}", {"k": S["ed25519"]})

# ---------------------------------------------------------------- genCA / self-signed / signed

case("genCA/type", "{{ printf \"%T\" (genCA \"x\" 365) }}")
case("genCA/pem-headers", "{{ $c := genCA \"my-ca\" 365 }}{{ printf \"%.28s\" $c.Cert }}{{ printf \"%.32s\" $c.Key }}")
case("genCA/wrong-type-days", "{{ genCA \"x\" 1.5 }}")
case("genCA/string-days", "{{ genCA \"x\" \"10\" }}")
case("genCA/too-few-args", "{{ genCA \"x\" }}")
case("genCA/missing-field", "{{ (genCA \"x\" 1).Nope }}")
case("genCA/truthy", "{{ if genCA \"x\" 1 }}yes{{ end }}")
case("genSelfSignedCert/type-and-headers", "{{ $c := genSelfSignedCert \"h\" .Values.ips .Values.dns 30 }}{{ printf \"%T\" $c }} {{ printf \"%.28s\" $c.Cert }}",
     {"ips": ["10.0.0.1", "::1"], "dns": ["a.example", "b.example"]})
for label, ip in {"leading-zero": "1.2.3.04", "too-short": "1.2.3", "v6-zone": "fe80::1%eth0", "word": "localhost",
                  "trailing-space": "1.2.3.4 x", "with-port": "1.2.3.4:80", "over-255": "256.0.0.1", "v6-double-ellipsis": "1::2::3",
                  "v6-too-long": "1:2:3:4:5:6:7:8:9", "space": " 1.2.3.4"}.items():
    case(f"genSelfSignedCertWithKey/bad-ip-{label}", "{{ genSelfSignedCertWithKey \"x\" .Values.ips nil 1 .Values.k }}",
         {"ips": ["10.0.0.1", ip], "k": S["ecdsa"]})
for label, ip in {"int": 1, "float": 1.5, "null": None, "list": ["1.2.3.4"], "map": {"a": 1}, "bool": True}.items():
    case(f"genSelfSignedCertWithKey/ip-not-string-{label}", "{{ genSelfSignedCertWithKey \"x\" .Values.ips nil 1 .Values.k }}",
         {"ips": [ip], "k": S["ecdsa"]})
    case(f"genSelfSignedCertWithKey/dns-not-string-{label}", "{{ genSelfSignedCertWithKey \"x\" nil .Values.dns 1 .Values.k }}",
         {"dns": ["ok.example", ip], "k": S["ecdsa"]})
case("genSelfSignedCertWithKey/good-ips", "{{ (genSelfSignedCertWithKey \"x\" .Values.ips nil 1 .Values.k).Key | eq .Values.k }}",
     {"ips": ["10.0.0.1", "::1", "::ffff:1.2.3.4", "2001:db8::1:2", "1:2:3:4:5:6:7.8.9.10", "::", "0.0.0.0"], "k": S["ecdsa"]})
case("genSelfSignedCertWithKey/non-ascii-dns", "{{ genSelfSignedCertWithKey \"x\" nil .Values.dns 1 .Values.k }}",
     {"dns": ["ok.example", "é.example"], "k": S["ecdsa"]})
case("genSelfSignedCertWithKey/empty-cn-with-sans", "{{ (genSelfSignedCertWithKey \"\" nil .Values.dns 1 .Values.k).Key | eq .Values.k }}",
     {"dns": ["a.example"], "k": S["ed25519"]})
case("genSelfSignedCertWithKey/key-error-before-ip-error", "{{ genSelfSignedCertWithKey \"x\" .Values.ips nil 1 \"junk\" }}", {"ips": ["bad"]})
case("genSelfSignedCertWithKey/string-list-param", "{{ genSelfSignedCertWithKey \"x\" \"1.2.3.4\" nil 1 \"k\" }}")
case("genSelfSignedCertWithKey/dsa-key", "{{ genSelfSignedCertWithKey \"x\" nil nil 1 .Values.k }}", {"k": S["dsa"]})
case("genSelfSignedCertWithKey/map-as-list", "{{ genSelfSignedCertWithKey \"x\" .Values.m nil 1 \"k\" }}", {"m": {"a": 1}})
case("genSelfSignedCert/bad-ip", "{{ genSelfSignedCert \"x\" .Values.ips nil 1 }}", {"ips": ["nope"]})
case("genSelfSignedCert/bad-dns", "{{ genSelfSignedCert \"x\" nil .Values.dns 1 }}", {"dns": [3]})

MISMATCHED = {"c": b64(CA_CERT), "k": b64(S["ec_ca_key"])}
case("genSignedCert/pem-headers", "{{ $ca := genCA \"ca\" 10 }}{{ $c := genSignedCert \"leaf\" .Values.ips .Values.dns 5 $ca }}{{ printf \"%.28s\" $c.Cert }}{{ printf \"%.32s\" $c.Key }}",
     {"ips": ["10.0.0.1"], "dns": ["leaf.example"]})
case("genSignedCert/ca-key-mismatch", "{{ genSignedCert \"leaf\" nil nil 5 (buildCustomCert .Values.c .Values.k) }}", MISMATCHED)
case("genSignedCertWithKey/ca-key-mismatch", "{{ genSignedCertWithKey \"leaf\" nil nil 5 (buildCustomCert .Values.c .Values.k) .Values.leaf }}",
     dict(MISMATCHED, leaf=S["ed25519"]))
case("genSignedCertWithKey/helm-ca-signs", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ (genSignedCertWithKey \"leaf\" .Values.ips nil 5 $ca .Values.leaf).Key | eq .Values.leaf }}",
     {"c": b64(CA_CERT), "k": ok_key, "ips": ["10.0.0.1"], "leaf": S["ecdsa"]})
case("genSignedCertWithKey/ec-ca-signs", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ (genSignedCertWithKey \"leaf\" nil nil 5 $ca .Values.leaf).Key | eq .Values.leaf }}",
     {"c": b64(S["ec_ca_cert"]), "k": b64(S["ec_ca_key"]), "leaf": KEYS["rsa1024"]})
case("genSignedCertWithKey/ed-ca-signs", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ (genSignedCertWithKey \"leaf\" nil nil 5 $ca .Values.leaf).Key | eq .Values.leaf }}",
     {"c": b64(S["ed_ca_cert"]), "k": b64(S["ed_ca_key"]), "leaf": KEYS["p384"]})
case("genSignedCertWithKey/leaf-as-ca", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ (genSignedCertWithKey \"leaf2\" nil nil 5 $ca .Values.leaf).Key | eq .Values.leaf }}",
     {"c": b64(S["leaf_cert"]), "k": b64(S["leaf_key"]), "leaf": S["ed25519"]})
case("genSignedCertWithKey/dsa-leaf-key", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ genSignedCertWithKey \"leaf\" nil nil 5 $ca .Values.leaf }}",
     {"c": b64(CA_CERT), "k": ok_key, "leaf": S["dsa"]})
case("genSignedCertWithKey/x25519-leaf-key", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ genSignedCertWithKey \"leaf\" nil nil 5 $ca .Values.leaf }}",
     {"c": b64(CA_CERT), "k": ok_key, "leaf": KEYS["x25519"]})
case("genSignedCertWithKey/bad-leaf-key", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ genSignedCertWithKey \"leaf\" nil nil 5 $ca \"junk\" }}",
     {"c": b64(CA_CERT), "k": ok_key})
case("genSignedCertWithKey/bad-ip", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ genSignedCertWithKey \"leaf\" .Values.ips nil 5 $ca .Values.leaf }}",
     {"c": b64(CA_CERT), "k": ok_key, "ips": ["x"], "leaf": S["ecdsa"]})
case("genSignedCertWithKey/unknown-alg-ca", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ (genSignedCertWithKey \"leaf\" nil nil 5 $ca .Values.leaf).Key | eq .Values.leaf }}",
     {"c": b64(bad_certs["unknown-key-alg"]), "k": ok_key, "leaf": S["ecdsa"]})
case("genSignedCertWithKey/ca-x25519-key", "{{ $ca := buildCustomCert .Values.c .Values.k }}{{ genSignedCertWithKey \"leaf\" nil nil 5 $ca .Values.leaf }}",
     {"c": b64(bad_certs["unknown-key-alg"]), "k": b64(KEYS["x25519"]), "leaf": S["ecdsa"]})

# ---------------------------------------------------------------- genPrivateKey

for t in ["foo", "RSA", "ECDSA", "rsa ", "ed448", "dsa2048"]:
    case(f"genPrivateKey/unknown-{t.strip() or 'blank'}{'-space' if t.endswith(' ') else ''}", f"{{{{ genPrivateKey {json.dumps(t)} }}}}")
case("genPrivateKey/ecdsa-shape", "{{ $k := genPrivateKey \"ecdsa\" }}{{ len $k }} {{ printf \"%.30s\" $k }}")
case("genPrivateKey/ed25519-shape", "{{ $k := genPrivateKey \"ed25519\" }}{{ len $k }} {{ printf \"%.27s\" $k }}")
case("genPrivateKey/rsa-shape", "{{ $k := genPrivateKey \"rsa\" }}{{ printf \"%.31s\" $k }} {{ gt (len $k) 3200 }}")
case("genPrivateKey/default-is-rsa", "{{ printf \"%.31s\" (genPrivateKey \"\") }}")
case("genPrivateKey/dsa-shape", "{{ $k := genPrivateKey \"dsa\" }}{{ printf \"%.31s\" $k }} {{ gt (len $k) 1200 }}")
case("genPrivateKey/generated-key-usable", "{{ $k := genPrivateKey \"ecdsa\" }}{{ (genCAWithKey \"x\" 1 $k).Key | eq $k }}")
case("genPrivateKey/wrong-type", "{{ genPrivateKey 1 }}")
case("genPrivateKey/nil", "{{ genPrivateKey nil }}")
case("genPrivateKey/missing-value", "{{ genPrivateKey .Values.nope }}")

# ---------------------------------------------------------------- derivePassword

for label, args in {
    "long": '1 "long" "password" "user" "example.com"',
    "maximum": '1 "maximum" "password" "user" "example.com"',
    "medium": '1 "medium" "password" "user" "example.com"',
    "short": '1 "short" "password" "user" "example.com"',
    "basic": '1 "basic" "password" "user" "example.com"',
    "pin": '1 "pin" "password" "user" "example.com"',
    "counter-0": '0 "long" "password" "user" "example.com"',
    "counter-max-uint32": '4294967295 "long" "password" "user" "example.com"',
    "counter-truncated-to-uint32": '4294967297 "pin" "a" "b" "c"',
    "empty-strings": '1 "long" "" "" ""',
    "unicode": '7 "maximum" "pässwörd ✓" "ユーザー" "例え.jp"',
}.items():
    case(f"derivePassword/{label}", f"{{{{ derivePassword {args} }}}}")
case("derivePassword/unknown-template", '{{ derivePassword 1 "LONG" "p" "u" "s" }}')
case("derivePassword/empty-template", '{{ derivePassword 1 "" "p" "u" "s" }}')
case("derivePassword/from-values", '{{ derivePassword 2 .Values.t .Values.p .Values.u .Values.s }}', {"t": "medium", "p": "pw", "u": "me", "s": "site"})
case("derivePassword/too-few-args", '{{ derivePassword 1 "long" "p" "u" }}')

# ---------------------------------------------------------------- bcrypt / htpasswd

case("bcrypt/shape", '{{ $h := bcrypt "s3cret" }}{{ len $h }} {{ printf \"%.7s\" $h }}')
case("bcrypt/empty", '{{ $h := bcrypt "" }}{{ len $h }} {{ printf \"%.7s\" $h }}')
case("bcrypt/72-bytes-ok", '{{ $h := bcrypt .Values.p }}{{ len $h }}', {"p": "a" * 72})
case("bcrypt/73-bytes-too-long", '{{ bcrypt .Values.p }}', {"p": "a" * 73})
case("bcrypt/72-bytes-multibyte-too-long", '{{ bcrypt .Values.p }}', {"p": "é" * 37})
case("bcrypt/unicode", '{{ len (bcrypt "pässwörd ✓") }}')
case("bcrypt/salted", '{{ ne (bcrypt "x") (bcrypt "x") }}')
case("bcrypt/wrong-type", '{{ bcrypt 1 }}')
case("bcrypt/values-number", '{{ bcrypt .Values.n }}', {"n": 5})
case("bcrypt/nil", '{{ bcrypt nil }}')
case("bcrypt/missing-arg", '{{ bcrypt }}')
case("bcrypt/piped", '{{ "x" | bcrypt | len }}')
case("htpasswd/shape", '{{ $h := htpasswd "admin" "pw" }}{{ len $h }} {{ printf \"%.13s\" $h }}')
case("htpasswd/colon-username", '{{ htpasswd "a:b" "pw" }}')
case("htpasswd/leading-colon", '{{ htpasswd ":" "pw" }}')
case("htpasswd/empty-username", '{{ $h := htpasswd "" "pw" }}{{ len $h }} {{ printf \"%.8s\" $h }}')
case("htpasswd/unicode-username", '{{ $h := htpasswd "ユーザー" "pw" }}{{ len $h }}')
case("htpasswd/long-password", '{{ htpasswd "u" .Values.p }}', {"p": "b" * 80})
case("htpasswd/wrong-type", '{{ htpasswd "u" 2 }}')
case("htpasswd/one-arg", '{{ htpasswd "u" }}')
case("htpasswd/salted", '{{ ne (htpasswd "u" "p") (htpasswd "u" "p") }}')

# ---------------------------------------------------------------- AES

for i, (key, plain) in enumerate([("secretkey", "plaintext"), ("", "exactly sixteen!"),
                                  ("0123456789abcdef0123456789abcdefEXTRA", "üñíçødé ✓ multi-byte"), ("k", "x" * 50)], 1):
    case(f"decryptAES/helm-ciphertext-{i}", '{{ decryptAES .Values.k .Values.c }}', {"k": key, "c": S[f"aes{i}"]})
case("decryptAES/key-only-first-32-bytes", '{{ decryptAES "0123456789abcdef0123456789abcdef" .Values.c }}', {"c": S["aes3"]})
case("decryptAES/round-trip", '{{ decryptAES "key" (encryptAES "key" "hello world") }}')
case("decryptAES/round-trip-unicode", '{{ decryptAES "ключ" (encryptAES "ключ" "ünïcødé ✓ 日本") }}')
case("decryptAES/round-trip-block-sized", '{{ decryptAES "k" (encryptAES "k" "0123456789abcdef") }}')
case("decryptAES/empty", '{{ decryptAES "k" "" }}|')
case("decryptAES/bad-base64", '{{ decryptAES "k" "abc" }}')
case("decryptAES/bad-base64-char", '{{ decryptAES "k" "AAAA*AAA" }}')
case("decryptAES/short", '{{ decryptAES "k" "YWJj" }}')
case("decryptAES/short-with-newlines", '{{ decryptAES "k" .Values.c }}', {"c": "YWJj\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"})
case("decryptAES/iv-only", '{{ decryptAES "k" "AAAAAAAAAAAAAAAAAAAAAA==" }}')
case("decryptAES/not-full-blocks", '{{ decryptAES "k" .Values.c }}', {"c": "A" * 28})
case("decryptAES/bad-padding", '{{ decryptAES "k" .Values.c }}', {"c": "A" * 43 + "="})
case("decryptAES/wrong-key", '{{ decryptAES "wrong" .Values.c }}', {"c": S["aes1"]})
case("decryptAES/wrong-type", '{{ decryptAES "k" 1 }}')
case("encryptAES/empty-plaintext", '{{ encryptAES "k" "" }}|')
case("encryptAES/length", '{{ len (encryptAES "k" "hello") }} {{ len (encryptAES "k" "0123456789abcdef") }} {{ len (encryptAES "" "x") }}')
case("encryptAES/random-iv", '{{ ne (encryptAES "k" "x") (encryptAES "k" "x") }}')
case("encryptAES/wrong-type", '{{ encryptAES 1 "x" }}')
case("encryptAES/nil-values", '{{ encryptAES .Values.a .Values.b }}|')

# ---------------------------------------------------------------- randBytes

case("randBytes/length", '{{ len (randBytes 16) }} {{ len (randBytes 1) }} {{ len (randBytes 32) }}')
case("randBytes/zero", '{{ randBytes 0 }}|')
case("randBytes/negative", '{{ randBytes -1 }}')
case("randBytes/random", '{{ ne (randBytes 16) (randBytes 16) }}')
case("randBytes/string-arg", '{{ randBytes "16" }}')
case("randBytes/float-values", '{{ randBytes .Values.n }}', {"n": 16})
case("randBytes/nil", '{{ randBytes nil }}')

with open(os.path.join(HERE, "cases.yaml"), "w") as out:
    out.write("# Generated by make_cases.py (see there); expected results: golden.json.\n")
    yaml.safe_dump(cases, out, allow_unicode=True, sort_keys=False, width=1_000_000)
print(len(cases), "cases")
