//! Sprig's math functions (`numeric.go` and the closures of `functions.go`):
//! integer arithmetic on int64 (every operand through `cast.ToInt64`),
//! float arithmetic through shopspring/decimal, min/max, rounding, and the
//! integer sequences `seq`, `until` and `untilStep`.

use std::sync::atomic::{AtomicU64, Ordering};

use rhelm_template::{Elem, Error, FuncMap, FuncResult, Function, Type, Value};

use crate::conv::{to_float64, to_int64};

/// Go's panic on integer division by zero.
const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

/// The most elements `until`/`untilStep` will build. Go has no bound (a
/// huge range exhausts its memory); we stop with an error instead.
const MAX_SEQUENCE: usize = 1 << 24;

pub(crate) fn register(m: &mut FuncMap) {
    let any1 = [Type::Any];
    let any2 = [Type::Any, Type::Any];
    let int64 = |f: fn(&[Value]) -> Result<i64, Error>| move |a: &[Value]| f(a).map(Value::Int64);
    m.insert("add1", Function::new(&any1, None, int64(|a| Ok(to_int64(&a[0]).wrapping_add(1)))));
    m.insert(
        "add",
        Function::new(&[], Some(Type::Any), int64(|a| Ok(a.iter().fold(0i64, |s, x| s.wrapping_add(to_int64(x)))))),
    );
    m.insert("sub", Function::new(&any2, None, int64(|a| Ok(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))));
    m.insert(
        "div",
        Function::new(&any2, None, int64(|a| checked(to_int64(&a[0]), to_int64(&a[1]), i64::wrapping_div))),
    );
    m.insert(
        "mod",
        Function::new(&any2, None, int64(|a| checked(to_int64(&a[0]), to_int64(&a[1]), i64::wrapping_rem))),
    );
    m.insert(
        "mul",
        Function::new(
            &any1,
            Some(Type::Any),
            int64(|a| Ok(a[1..].iter().fold(to_int64(&a[0]), |p, x| p.wrapping_mul(to_int64(x))))),
        ),
    );
    m.insert("randInt", Function::new(&[Type::Int, Type::Int], None, |a| rand_int(int_arg(&a[0]), int_arg(&a[1]))));

    m.insert("add1f", Function::new(&any1, None, |a| decimal_op(&a[0], &[Value::Int(1)], Decimal::add)));
    m.insert("addf", Function::new(&[], Some(Type::Any), |a| decimal_op(&Value::Float(0.0), a, Decimal::add)));
    m.insert("subf", Function::new(&any1, Some(Type::Any), |a| decimal_op(&a[0], &a[1..], Decimal::sub)));
    m.insert("mulf", Function::new(&any1, Some(Type::Any), |a| decimal_op(&a[0], &a[1..], Decimal::mul)));
    m.insert("divf", Function::new(&any1, Some(Type::Any), |a| decimal_op(&a[0], &a[1..], Decimal::div)));

    let max = Function::new(
        &any1,
        Some(Type::Any),
        int64(|a| Ok(a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::max))),
    );
    m.insert("biggest", max.clone());
    m.insert("max", max);
    m.insert(
        "min",
        Function::new(
            &any1,
            Some(Type::Any),
            int64(|a| Ok(a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::min))),
        ),
    );
    m.insert(
        "maxf",
        Function::new(&any1, Some(Type::Any), |a| {
            Ok(Value::Float(a[1..].iter().map(to_float64).fold(to_float64(&a[0]), go_max)))
        }),
    );
    m.insert(
        "minf",
        Function::new(&any1, Some(Type::Any), |a| {
            Ok(Value::Float(a[1..].iter().map(to_float64).fold(to_float64(&a[0]), go_min)))
        }),
    );
    m.insert("ceil", Function::new(&any1, None, |a| Ok(Value::Float(to_float64(&a[0]).ceil()))));
    m.insert("floor", Function::new(&any1, None, |a| Ok(Value::Float(to_float64(&a[0]).floor()))));
    m.insert(
        "round",
        Function::new(&[Type::Any, Type::Int], Some(Type::Float64), |a| {
            let round_on = a.get(2).map_or(0.5, to_float64);
            Ok(Value::Float(round(to_float64(&a[0]), int_arg(&a[1]), round_on)))
        }),
    );

    m.insert("seq", Function::new(&[], Some(Type::Int), |a| seq(&a.iter().map(int_arg).collect::<Vec<_>>())));
    m.insert(
        "until",
        Function::new(&[Type::Int], None, |a| {
            let count = int_arg(&a[0]);
            int_list(until_step(0, count, if count < 0 { -1 } else { 1 })?)
        }),
    );
    m.insert(
        "untilStep",
        Function::new(&[Type::Int, Type::Int, Type::Int], None, |a| {
            int_list(until_step(int_arg(&a[0]), int_arg(&a[1]), int_arg(&a[2]))?)
        }),
    );
}

/// An `int` parameter (the executor has checked the type).
fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

/// Go's `/` and `%` on int64: dividing by zero panics; `MinInt64 / -1`
/// wraps (Go defines it as MinInt64, remainder 0).
fn checked(a: i64, b: i64, op: fn(i64, i64) -> i64) -> Result<i64, Error> {
    if b == 0 {
        return Err(Error::msg(DIVIDE_BY_ZERO));
    }
    Ok(op(a, b))
}

/// Go's `math.Max`: +Inf wins over NaN, NaN over anything else, +0 over -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() {
            y
        } else {
            x
        }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: -Inf wins over NaN, NaN over anything else, -0 over +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() {
            x
        } else {
            y
        }
    } else if x < y {
        x
    } else {
        y
    }
}

/// Sprig's `round`: scale by `10^places`, then take the ceiling when the
/// fraction (`math.Modf`, which keeps the sign) reaches `round_on`, else
/// the floor. Negative halves therefore round down (`round -2.5 0` = -3).
fn round(val: f64, places: i64, round_on: f64) -> f64 {
    let pow = go_pow10(places as f64);
    let digit = pow * val;
    let frac = if digit.is_infinite() { f64::NAN } else { digit - digit.trunc() };
    let rounded = if frac >= round_on { digit.ceil() } else { digit.floor() };
    rounded / pow
}

/// Go's `math.Pow(10, y)` for an integral `y`, reproduced step by step:
/// its results for large exponents are not the correctly rounded ones a
/// libm `pow` gives, and `round` exposes them.
fn go_pow10(y: f64) -> f64 {
    const X: f64 = 10.0;
    if y == 0.0 {
        return 1.0;
    }
    if y == y as i8 as f64 {
        // Go's fast path for exponents that fit an int8: squarings of x.
        let mut n = y.abs() as u8;
        let mut r = 1.0;
        while n > 1 {
            let (mut tmp, mut c) = (X, 1u8);
            while c <= n / 2 {
                tmp *= tmp;
                c *= 2;
            }
            n -= c;
            r *= tmp;
        }
        for _ in 0..n {
            r *= X;
        }
        return if y < 0.0 { 1.0 / r } else { r };
    }
    let yi = y.abs().trunc();
    if yi >= (1u64 << 63) as f64 {
        // Overflow or underflow for |x| > 1.
        return if y > 0.0 { f64::INFINITY } else { 0.0 };
    }
    // ans = a1 * 2^ae, by successive squarings of frexp(x).
    let (mut a1, mut ae) = (1.0f64, 0i64);
    let (mut x1, mut xe) = (0.625f64, 4i64); // frexp(10)
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    go_ldexp(a1, ae)
}

/// Go's `math.Ldexp` for a finite, non-zero `frac`.
fn go_ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    // Normalise a subnormal fraction.
    let (frac, mut exp) =
        if frac.abs() < f64::MIN_POSITIVE { (frac * (1u64 << 52) as f64, exp - 52) } else { (frac, exp) };
    let mut bits = frac.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i64 - 1023;
    if exp < -1075 {
        return 0.0f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let mut m = 1.0;
    if exp < -1022 {
        exp += 53;
        m = 1.0 / (1u64 << 53) as f64;
    }
    bits &= !(0x7ff << 52);
    bits |= ((exp + 1023) as u64) << 52;
    m * f64::from_bits(bits)
}

/// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`;
/// empty when the step points the other way. Go's int arithmetic wraps.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, Error> {
    let mut v = Vec::new();
    let (ascending, ok) = if stop < start { (false, step < 0) } else { (true, step > 0) };
    if !ok {
        return Ok(v);
    }
    let mut i = start;
    while if ascending { i < stop } else { i > stop } {
        if v.len() == MAX_SEQUENCE {
            return Err(Error::msg(format!("rhelm: untilStep would produce more than {MAX_SEQUENCE} elements")));
        }
        v.push(i);
        i = i.wrapping_add(step);
    }
    Ok(v)
}

fn int_list(v: Vec<i64>) -> FuncResult {
    Ok(Value::typed_list(Elem::Int, v.into_iter().map(Value::Int).collect()))
}

/// Sprig's `seq`, like the Unix command: `seq END` counts from 1, `seq
/// START END` steps by ±1, `seq START STEP END`; the numbers joined by
/// spaces.
fn seq(params: &[i64]) -> FuncResult {
    let numbers = match *params {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(Value::str(""));
                }
            }
            until_step(start, end.wrapping_add(inc), step)?
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = numbers.iter().map(i64::to_string).collect();
    Ok(Value::string(text.join(" ")))
}

/// Sprig's `randInt min max`: `rand.Intn(max-min) + min`, which panics
/// unless `max > min`.
fn rand_int(min: i64, max: i64) -> FuncResult {
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err(Error::msg("invalid argument to Intn"));
    }
    Ok(Value::Int(uniform(n as u64) as i64 + min))
}

/// A uniform number below `n` from a SplitMix64 stream seeded by the clock
/// (Go's global source is randomly seeded too; the values are not Go's).
fn uniform(n: u64) -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let next = || {
        let seed =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let _ = STATE.compare_exchange(0, seed | 1, Ordering::Relaxed, Ordering::Relaxed);
        let mut z = STATE.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    // Rejection sampling keeps it uniform.
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let r = next();
        if r < zone {
            return r % n;
        }
    }
}

/// Sprig's `execDecimalOp`: every operand through `cast.ToFloat64` and
/// `decimal.NewFromFloat`, folded with `op`, back to the nearest float64.
fn decimal_op(first: &Value, rest: &[Value], op: fn(&Decimal, &Decimal) -> Result<Decimal, Error>) -> FuncResult {
    let mut acc = Decimal::from_f64(to_float64(first))?;
    for x in rest {
        acc = op(&acc, &Decimal::from_f64(to_float64(x))?)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

/// shopspring/decimal's `Decimal`: `coef × 10^exp`, exact.
#[derive(Clone, Debug)]
struct Decimal {
    neg: bool,
    coef: Nat,
    exp: i64,
}

/// shopspring's `DivisionPrecision`: quotients are rounded to 16 places.
const DIVISION_PRECISION: i64 = 16;

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`
    /// (Rust's `{:e}` prints exactly those digits, as Go's algorithm does).
    fn from_f64(f: f64) -> Result<Decimal, Error> {
        if !f.is_finite() {
            let shown = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(Error::msg(format!("Cannot create a Decimal from {shown}")));
        }
        if f == 0.0 {
            return Ok(Decimal { neg: false, coef: Nat::zero(), exp: 0 });
        }
        let text = format!("{:e}", f.abs());
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let fraction_digits = mantissa.split_once('.').map_or(0, |(_, frac)| frac.len()) as i64;
        let exp = exp.parse::<i64>().unwrap_or(0) - fraction_digits;
        Ok(Decimal { neg: f < 0.0, coef: Nat::from_decimal(&digits), exp })
    }

    fn new(neg: bool, coef: Nat, exp: i64) -> Decimal {
        let neg = neg && !coef.is_zero();
        Decimal { neg, coef, exp }
    }

    /// The coefficients of both at the smaller exponent.
    fn aligned(a: &Decimal, b: &Decimal) -> (Nat, Nat, i64) {
        let exp = a.exp.min(b.exp);
        (a.coef.mul_pow10(a.exp - exp), b.coef.mul_pow10(b.exp - exp), exp)
    }

    fn add(a: &Decimal, b: &Decimal) -> Result<Decimal, Error> {
        let (x, y, exp) = Decimal::aligned(a, b);
        Ok(signed_sum(a.neg, x, b.neg, y, exp))
    }

    fn sub(a: &Decimal, b: &Decimal) -> Result<Decimal, Error> {
        let (x, y, exp) = Decimal::aligned(a, b);
        Ok(signed_sum(a.neg, x, !b.neg, y, exp))
    }

    fn mul(a: &Decimal, b: &Decimal) -> Result<Decimal, Error> {
        let exp = a.exp + b.exp;
        if i32::try_from(exp).is_err() {
            return Err(Error::msg(format!("exponent {exp} overflows an int32!")));
        }
        Ok(Decimal::new(a.neg != b.neg, a.coef.mul(&b.coef), exp))
    }

    /// `Div` = `DivRound(d2, 16)`: the quotient rounded half away from zero
    /// to 16 decimal places.
    fn div(a: &Decimal, b: &Decimal) -> Result<Decimal, Error> {
        if b.coef.is_zero() {
            return Err(Error::msg("decimal division by 0"));
        }
        // a / b = (ca / cb) * 10^(ea - eb); scale so the quotient has exponent -16.
        let e = a.exp - b.exp + DIVISION_PRECISION;
        let (num, den) =
            if e < 0 { (a.coef.clone(), b.coef.mul_pow10(-e)) } else { (a.coef.mul_pow10(e), b.coef.clone()) };
        let (mut q, r) = num.div_rem(&den);
        if r.add(&r).cmp(&den) != std::cmp::Ordering::Less {
            q = q.add(&Nat::from_u32(1));
        }
        Ok(Decimal::new(a.neg != b.neg, q, -DIVISION_PRECISION))
    }

    /// `Float64()` (big.Rat's): the nearest float64, which Rust's parser
    /// gives for any decimal text.
    fn to_f64(&self) -> f64 {
        if self.coef.is_zero() {
            return 0.0;
        }
        let text = format!("{}{}e{}", if self.neg { "-" } else { "" }, self.coef.to_decimal(), self.exp);
        text.parse().unwrap_or(0.0)
    }
}

fn signed_sum(xneg: bool, x: Nat, yneg: bool, y: Nat, exp: i64) -> Decimal {
    if xneg == yneg {
        return Decimal::new(xneg, x.add(&y), exp);
    }
    match x.cmp(&y) {
        std::cmp::Ordering::Less => Decimal::new(yneg, y.sub(&x), exp),
        _ => Decimal::new(xneg, x.sub(&y), exp),
    }
}

/// An arbitrary-precision natural number, in base 10^9 limbs, least
/// significant first, without leading zero limbs. Just what `Decimal` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Nat(Vec<u32>);

const BASE: u64 = 1_000_000_000;

impl Nat {
    fn zero() -> Nat {
        Nat(Vec::new())
    }

    fn from_u32(x: u32) -> Nat {
        Nat(vec![x]).trimmed()
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn trimmed(mut self) -> Nat {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    fn from_decimal(digits: &str) -> Nat {
        let bytes = digits.as_bytes();
        let mut limbs = Vec::with_capacity(bytes.len() / 9 + 1);
        let mut end = bytes.len();
        while end > 0 {
            let start = end.saturating_sub(9);
            let limb = bytes[start..end].iter().fold(0u32, |acc, &b| acc * 10 + u32::from(b.wrapping_sub(b'0')).min(9));
            limbs.push(limb);
            end = start;
        }
        Nat(limbs).trimmed()
    }

    fn to_decimal(&self) -> String {
        let Some((top, rest)) = self.0.split_last() else { return "0".to_string() };
        let mut s = top.to_string();
        for limb in rest.iter().rev() {
            s.push_str(&format!("{limb:09}"));
        }
        s
    }

    fn cmp(&self, other: &Nat) -> std::cmp::Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn add(&self, other: &Nat) -> Nat {
        let mut out = Vec::with_capacity(self.0.len().max(other.0.len()) + 1);
        let mut carry = 0u64;
        for i in 0..self.0.len().max(other.0.len()) {
            let s = carry + u64::from(*self.0.get(i).unwrap_or(&0)) + u64::from(*other.0.get(i).unwrap_or(&0));
            out.push((s % BASE) as u32);
            carry = s / BASE;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Nat(out).trimmed()
    }

    /// `self - other`, for `self >= other`.
    fn sub(&self, other: &Nat) -> Nat {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut d = i64::from(self.0[i]) - borrow - i64::from(*other.0.get(i).unwrap_or(&0));
            borrow = 0;
            if d < 0 {
                d += BASE as i64;
                borrow = 1;
            }
            out.push(d as u32);
        }
        Nat(out).trimmed()
    }

    fn mul(&self, other: &Nat) -> Nat {
        if self.is_zero() || other.is_zero() {
            return Nat::zero();
        }
        let mut out = vec![0u64; self.0.len() + other.0.len() + 1];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let t = out[i + j] + u64::from(a) * u64::from(b) + carry;
                out[i + j] = t % BASE;
                carry = t / BASE;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let t = out[k] + carry;
                out[k] = t % BASE;
                carry = t / BASE;
                k += 1;
            }
        }
        Nat(out.into_iter().map(|x| x as u32).collect()).trimmed()
    }

    fn mul_small(&self, m: u32) -> Nat {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = 0u64;
        for &limb in &self.0 {
            let t = u64::from(limb) * u64::from(m) + carry;
            out.push((t % BASE) as u32);
            carry = t / BASE;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Nat(out).trimmed()
    }

    /// `self × 10^k` for `k >= 0`.
    fn mul_pow10(&self, k: i64) -> Nat {
        if self.is_zero() || k <= 0 {
            return self.clone();
        }
        let mut limbs = vec![0u32; (k / 9) as usize];
        limbs.extend_from_slice(&self.0);
        Nat(limbs).mul_small(10u32.pow((k % 9) as u32))
    }

    /// Truncated division, digit by decimal digit (the numbers are small).
    fn div_rem(&self, den: &Nat) -> (Nat, Nat) {
        let mut quotient = String::new();
        let mut rem = Nat::zero();
        for digit in self.to_decimal().bytes() {
            rem = rem.mul_small(10).add(&Nat::from_u32(u32::from(digit - b'0')));
            let mut q = b'0';
            while rem.cmp(den) != std::cmp::Ordering::Less {
                rem = rem.sub(den);
                q += 1;
            }
            quotient.push(q as char);
        }
        (Nat::from_decimal(&quotient), rem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(op: fn(&Decimal, &Decimal) -> Result<Decimal, Error>, a: f64, b: f64) -> f64 {
        op(&Decimal::from_f64(a).unwrap(), &Decimal::from_f64(b).unwrap()).unwrap().to_f64()
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        assert_eq!(dec(Decimal::mul, 1.1, 3.0), 3.3);
        assert_eq!(dec(Decimal::add, 0.1, 0.2), 0.3);
        assert_eq!(dec(Decimal::sub, 0.3, 0.1), 0.2);
        assert_eq!(dec(Decimal::div, 1.0, 3.0), 0.3333333333333333);
        assert_eq!(dec(Decimal::div, 2.0, 3.0), 0.6666666666666667);
        assert_eq!(dec(Decimal::div, -2.0, 3.0), -0.6666666666666667);
        assert_eq!(dec(Decimal::add, 1e300, 1e-300), 1e300);
        assert_eq!(dec(Decimal::mul, 1e300, 1e300), f64::INFINITY);
        assert_eq!(dec(Decimal::sub, 5.0, 5.0).to_bits(), 0.0f64.to_bits());
        assert!(Decimal::div(&Decimal::from_f64(1.0).unwrap(), &Decimal::from_f64(0.0).unwrap()).is_err());
    }

    #[test]
    fn nat_division() {
        let (q, r) = Nat::from_decimal("1000000000000000000000").div_rem(&Nat::from_decimal("7"));
        assert_eq!((q.to_decimal(), r.to_decimal()), ("142857142857142857142".to_string(), "6".to_string()));
    }

    #[test]
    fn go_pow_matches_go() {
        assert_eq!(go_pow10(2.0), 100.0);
        assert_eq!(go_pow10(-2.0), 0.01);
        assert_eq!(go_pow10(400.0), f64::INFINITY);
        assert_eq!(go_pow10(-400.0), 0.0);
        assert_eq!(go_pow10(i64::MIN as f64), 0.0);
    }

    #[test]
    fn rand_int_is_in_range() {
        for _ in 0..1000 {
            let Ok(Value::Int(x)) = rand_int(-3, 4) else { panic!("randInt failed") };
            assert!((-3..4).contains(&x));
        }
        assert!(rand_int(5, 5).is_err());
        assert!(rand_int(i64::MIN, i64::MAX).is_err(), "max-min wraps negative");
    }

    #[test]
    fn sequences() {
        assert_eq!(until_step(0, 10, 3).unwrap(), [0, 3, 6, 9]);
        assert_eq!(until_step(5, 0, -2).unwrap(), [5, 3, 1]);
        assert!(until_step(0, 5, 0).unwrap().is_empty());
        assert!(until_step(0, i64::MAX, 1).is_err());
        let Ok(Value::Str(s)) = seq(&[3]) else { panic!() };
        assert_eq!(&*s, "1 2 3");
    }
}
