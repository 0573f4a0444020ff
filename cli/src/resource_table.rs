//! `helm status`'s RESOURCES block: the server's Tables printed as
//! kubectl's HumanReadablePrinter prints them (headers only when the
//! columns change, each object flushed through its own tabwriter).

use serde_json::Value;

/// Go's text/tabwriter as kubectl configures it: minwidth 6, padding 3,
/// spaces; the last cell of a line is not padded.
fn tabwrite(lines: &[Vec<String>]) -> String {
    let cols = lines.iter().map(|l| l.len().saturating_sub(1)).max().unwrap_or(0);
    let mut widths = vec![6usize; cols];
    for l in lines {
        for (j, cell) in l.iter().enumerate().take(l.len().saturating_sub(1)) {
            widths[j] = widths[j].max(cell.chars().count() + 3);
        }
    }
    let mut out = String::new();
    for l in lines {
        for (j, cell) in l.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < l.len() {
                out.push_str(&" ".repeat(widths[j] - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => "<none>".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The printer's memory between objects.
#[derive(Default)]
pub struct TablePrinter {
    last_columns: Option<Value>,
    printed_headers: bool,
}

impl TablePrinter {
    /// One object's Table (or a list's), as `PrintObj` writes it.
    pub fn print(&mut self, table: &Value, out: &mut String) {
        let columns = table.get("columnDefinitions").cloned().unwrap_or(Value::Array(Vec::new()));
        let empty_cols = columns.as_array().is_none_or(|c| c.is_empty());
        let mut no_headers = false;
        if self.printed_headers && (empty_cols || Some(&columns) == self.last_columns.as_ref()) {
            no_headers = true;
        }
        let columns = if empty_cols {
            self.last_columns.clone().unwrap_or(Value::Array(Vec::new()))
        } else {
            if Some(&columns) != self.last_columns.as_ref() {
                self.last_columns = Some(columns.clone());
                self.printed_headers = false;
            }
            columns
        };
        let rows = table.get("rows").and_then(Value::as_array).cloned().unwrap_or_default();
        if !rows.is_empty() {
            self.printed_headers = true;
        }
        if rows.is_empty() {
            return;
        }
        let defs = columns.as_array().cloned().unwrap_or_default();
        let shown: Vec<usize> =
            (0..defs.len()).filter(|&i| defs[i].get("priority").and_then(Value::as_i64).unwrap_or(0) == 0).collect();
        let mut lines = Vec::new();
        if !no_headers {
            lines.push(
                shown
                    .iter()
                    .map(|&i| defs[i].get("name").and_then(Value::as_str).unwrap_or("").to_uppercase())
                    .collect(),
            );
        }
        for row in &rows {
            let cells = row.get("cells").and_then(Value::as_array).cloned().unwrap_or_default();
            lines.push(shown.iter().map(|&i| cells.get(i).map(cell_text).unwrap_or_default()).collect());
        }
        out.push_str(&tabwrite(&lines));
    }
}

/// The block after `RESOURCES:` (without that line), or `None` when there
/// is nothing to show.
pub fn resources_block(groups: &[rhelm_kube::TableGroup]) -> Option<String> {
    if groups.is_empty() {
        return None;
    }
    let mut printer = TablePrinter::default();
    let mut buf = String::new();
    for (key, tables) in groups {
        buf.push_str(&format!("==> {key}\n"));
        for t in tables {
            printer.print(t, &mut buf);
        }
        buf.push('\n');
    }
    Some(buf)
}
