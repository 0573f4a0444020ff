{{- define "shared" }}from-b{{ end }}
{{- define "bz" }}b1{{ end }}
