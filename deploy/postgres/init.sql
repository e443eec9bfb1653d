-- Roles and database of a Trellis installation. PostgreSQL's image runs this once, when its data
-- volume is first initialised (docker-entrypoint-initdb.d), as the superuser.
--
--   trellis_owner  owns the database and every table; only migrations connect as it.
--   trellis_app    what the web, worker and beat processes connect as: may log in, is not a
--                  superuser, cannot bypass Row-Level Security and owns nothing, so the forced
--                  tenant policies (organizations/rls.py) hold for every query it makes.
--                  `manage.py migrate` grants it SELECT, INSERT, UPDATE and DELETE on the tables.
--
-- The passwords come from the container's environment (see docker-compose.yml).

\set ON_ERROR_STOP on
\getenv owner_password TRELLIS_OWNER_PASSWORD
\getenv app_password TRELLIS_APP_PASSWORD

CREATE ROLE trellis_owner LOGIN PASSWORD :'owner_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE trellis_app LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

CREATE DATABASE trellis OWNER trellis_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE trellis FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE trellis TO trellis_app;

\connect trellis
-- Only the owner creates objects (the default since PostgreSQL 15; stated for older clusters).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO trellis_app;
