{{- define "shared.greeting" -}}hello from kid{{- end -}}
{{- define "kid.only" -}}kid-only{{- end -}}
