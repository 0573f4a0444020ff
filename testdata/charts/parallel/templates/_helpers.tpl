{{/* Stored again by every template that asks: only the first store changes the values. */}}
{{- define "parallel.password" -}}
{{- $_ := set .Values.generated "password" (printf "pw-%s" .Release.Name) -}}
{{- .Values.generated.password -}}
{{- end -}}

{{- define "parallel.common" -}}
template: {{ .Template.Name | quote }}
basePath: {{ .Template.BasePath | quote }}
password: {{ include "parallel.password" . | quote }}
counter: {{ .Values.counter | quote }}
seen: {{ $.seen | default "none" | quote }}
toRemove: {{ .Values.toRemove | default "removed" | quote }}
merged: {{ .Values.mergeTarget | toJson | quote }}
subTemplate: {{ .Subcharts.sub.Template.Name | default "none" | quote }}
missing: "{{ .Values.nothing }}"
fromTpl: {{ tpl "{{ .Release.Name }}-{{ .Template.Name | base }}" . | quote }}
{{- end -}}
