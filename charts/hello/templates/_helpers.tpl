{{/*
The name of an object of this release: the application name, and the
release name when it says something more, cut to the 63 characters a DNS
label allows.
*/}}
{{- define "hello.fullname" -}}
{{- if contains .Values.application.name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Values.application.name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The nginx front door's name. */}}
{{- define "hello.nginxName" -}}
{{- printf "%s-nginx" (include "hello.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "hello.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Values.hellok8s.image.tag | default .Chart.AppVersion | quote }}
{{- end }}

{{/* Selector labels of a component ("hellok8s" or "nginx"). */}}
{{- define "hello.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}
