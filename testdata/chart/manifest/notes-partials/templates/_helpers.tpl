helpers: are: not: parsed
