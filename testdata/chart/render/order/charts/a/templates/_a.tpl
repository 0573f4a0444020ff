{{- define "shared" }}from-a{{ end }}
{{- define "aonly" }}a-only{{ end }}
{{- define "z" }}a-z{{ end }}
