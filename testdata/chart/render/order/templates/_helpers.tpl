{{- define "shared" }}from-root{{ end }}
{{- define "z" }}root-z{{ end }}
