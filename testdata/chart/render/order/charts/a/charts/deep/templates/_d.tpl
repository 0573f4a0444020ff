{{- define "shared" }}from-deep{{ end }}
{{- define "deeponly" }}deep-only {{ .Chart.Name }}{{ end }}
