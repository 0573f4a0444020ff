stray: text
