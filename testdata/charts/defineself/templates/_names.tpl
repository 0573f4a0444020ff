{{- define "" -}}the empty name{{- end -}}
{{- /* An empty define never replaces a non-empty template. */ -}}
{{- define "defineself/templates/other.yaml" }}{{ end -}}
