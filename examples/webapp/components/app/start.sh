#!/bin/sh
# {{batou_generated_header}}
exec ./app --config {{component.Workdir}}/app.conf
