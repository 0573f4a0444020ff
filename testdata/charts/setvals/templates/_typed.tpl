{{- define "setvals.typed" -}}
{{- if kindIs "map" . -}}
{ {{- range $k, $v := . }}{{ printf "%q" $k }}: {{ include "setvals.typed" $v }}, {{ end -}} }
{{- else if kindIs "slice" . -}}
[ {{- range . }}{{ include "setvals.typed" . }}, {{ end -}} ]
{{- else if kindIs "string" . -}}
{{ printf "%q" . }}
{{- else -}}
{{ printf "%T(%v)" . . }}
{{- end -}}
{{- end -}}
