//! (to be written)

use rhelm_template::FuncMap;

pub(crate) fn register(_m: &mut FuncMap) {}
