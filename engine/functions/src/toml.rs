//! (to be written)

use rhelm_template::FuncMap;

pub fn register(_m: &mut FuncMap) {}
