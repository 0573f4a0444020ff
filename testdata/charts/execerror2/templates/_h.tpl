{{ define "h.inner" }}{{ .Values.a.b.c }}{{ end }}{{ define "h.outer" }}{{ include "h.inner" . }}{{ end }}
