{{- define "bz" }}b2{{ end }}
