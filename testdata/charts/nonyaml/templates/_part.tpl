{{ define "p" }}part{{ end }}
stray text in a partial
