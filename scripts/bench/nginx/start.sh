#!/bin/sh
# The benchmark app's container command: nginx in the foreground on $PORT, one worker.
set -e
dir=$(mktemp -d)
sed -e "s|__PORT__|$PORT|g" -e "s|__DIR__|$dir|g" container.conf > "$dir/nginx.conf"
exec nginx -p "$dir" -c "$dir/nginx.conf" -e stderr -g 'daemon off;'
