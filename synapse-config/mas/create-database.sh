#!/bin/sh
# Creates the Matrix Authentication Service's own role and database in the stack's
# PostgreSQL, separate from Synapse's (MAS never shares the homeserver's database).
#
# Mounted as /docker-entrypoint-initdb.d/20-mas-database.sh: the postgres image runs it once,
# when it initialises an empty data volume. On a server that already has its database (an
# existing CPTS moving to MAS), run it by hand, as often as needed:
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/20-mas-database.sh
# It creates what is missing and sets the role's password from the secret file again.
# The password is read by psql itself, so it never appears on a command line.
set -e
: "${MAS_DB_PASSWORD_FILE:?set MAS_DB_PASSWORD_FILE to the MAS database password file}"
if [ ! -s "$MAS_DB_PASSWORD_FILE" ]; then
  echo "create-database: $MAS_DB_PASSWORD_FILE is missing or empty" >&2
  false
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v mas_user="${MAS_DB_USER:-mas}" -v mas_db="${MAS_DB_NAME:-mas}" <<'SQL'
\set mas_password `tr -d '\n' < "$MAS_DB_PASSWORD_FILE"`
SELECT format('CREATE ROLE %I LOGIN', :'mas_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'mas_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'mas_user', :'mas_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'mas_db', :'mas_user', 'UTF8')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'mas_db') \gexec
SQL
echo "create-database: role and database for MAS are ready" >&2
