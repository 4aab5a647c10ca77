#!/bin/sh
# docker-compose.prod.yml: run once by the postgres image on an empty data volume
# (/docker-entrypoint-initdb.d/). One role per component of shared/components.py, owning only
# its own database; nobody else may connect to it (tests/unit/test_deploy_files.py checks the
# list, tests/integration/shared/test_production_roles.py runs this script).
# Each role's password comes from <COMPONENT>_DB_PASSWORD (written into .env by `make secrets`).
set -eu

for name in bookings placements education volunteers notifications team insights gateway; do
	variable="$(echo "$name" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
	password="$(printenv "$variable" || true)"
	if [ -z "$password" ]; then
		echo "postgres-roles.sh: $variable is not set (run make secrets)" >&2
		exit 1
	fi
	# psql's :"name" and :'password' quote the values: any character is safe in them.
	psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
		-v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";
SQL
done
