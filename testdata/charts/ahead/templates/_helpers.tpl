{{/* Wins over lib's definition: the parent's templates are parsed last. */}}
{{- define "lib.greeting" -}}
parent says {{ .Values.greeting }}
{{- end }}
