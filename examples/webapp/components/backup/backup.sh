#!/bin/sh
# {{batou_generated_header}}
set -eu
target={{component.Workdir}}/archive
mkdir -p "$target"
tar czf "$target/app-$(date +%F).tar.gz" -C {{environment.WorkBase}}/app logs
find "$target" -name 'app-*.tar.gz' -mtime +{{component.KeepDays}} -delete
