-- tthc: real-time monitoring of administrative-procedure dossiers and the
-- Citizen & Business Service Index (Decision 766/QĐ-TTg).
--
-- This file is built by concatenating src/sql/*.sql in name order.

\echo Use "CREATE EXTENSION tthc" to load this file. \quit
