-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d/).
-- One database per component on the same server: no component reads another one's tables.
-- One line per component of shared/components.py, named after it (tests/unit/test_deploy_files.py).
-- The tables themselves are created by the `migrate` service (python -m shared.migrate).
CREATE DATABASE bookings;
CREATE DATABASE placements;
CREATE DATABASE education;
CREATE DATABASE volunteers;
CREATE DATABASE notifications;
CREATE DATABASE team;
CREATE DATABASE insights;
CREATE DATABASE gateway;
