helper: text
