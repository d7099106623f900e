-- The catalogue: the agency tree and its rules, procedures, services,
-- announcements and reported volumes.
SET DateStyle = ISO;
INSERT INTO tthc.agency (id, parent_id, name, kind) VALUES
    ('H26', NULL, 'Thành phố Hà Nội', 'province'),
    ('H26.STP', 'H26', 'Sở Tư pháp', 'department'),
    ('H26.X001', 'H26', 'Phường Ba Đình', 'commune'),
    ('H26.X002', 'H26', 'Xã Sóc Sơn', 'commune'),
    ('H55', NULL, 'Tỉnh Thái Nguyên', 'province'),
    ('H55.X001', 'H55', 'Phường Phan Đình Phùng', 'commune'),
    ('BTP', NULL, 'Bộ Tư pháp', 'ministry'),
    ('BTP.CHT', 'BTP', 'Cục Hộ tịch, quốc tịch, chứng thực', 'department'),
    ('BTP.CHT.1', 'BTP.CHT', 'Phòng Chứng thực', 'unit');

SELECT id, parent_id, depth, path FROM tthc.agency_subtree('H26') ORDER BY path;
SELECT id, depth FROM tthc.agency_ancestors('BTP.CHT.1') ORDER BY depth;
SELECT id, top_id, depth FROM tthc.agency_tree ORDER BY top_id, path;

-- Re-parenting moves the whole subtree at once
UPDATE tthc.agency SET parent_id = 'H55' WHERE id = 'H26.X002';
SELECT id, top_id FROM tthc.agency_tree WHERE id = 'H26.X002';

-- Bad input
\set VERBOSITY default
UPDATE tthc.agency SET parent_id = 'BTP.CHT.1' WHERE id = 'BTP.CHT';   -- cycle
UPDATE tthc.agency SET parent_id = 'BTP.CHT' WHERE id = 'BTP.CHT';     -- own parent
INSERT INTO tthc.agency VALUES ('X1', 'NOPE', 'Không có cha', 'commune');
INSERT INTO tthc.agency VALUES ('X2', 'H26', 'Loại lạ', 'village');
INSERT INTO tthc.agency VALUES ('X3', NULL, 'Xã mồ côi', 'commune');
INSERT INTO tthc.agency VALUES ('X4', 'H26', 'Tỉnh trong tỉnh', 'province');
INSERT INTO tthc.agency VALUES ('bad code!', NULL, 'Mã sai', 'province');
INSERT INTO tthc.agency VALUES ('X5', 'H26', '  ', 'commune');
INSERT INTO tthc.agency VALUES ('X6', 'H26', NULL, 'commune');
DELETE FROM tthc.agency WHERE id = 'H26';
SELECT * FROM tthc.agency_subtree('NOPE');
SELECT * FROM tthc.agency_ancestors('NOPE');

-- Procedures
INSERT INTO tthc.procedure (code, name, sector, time_limit, time_unit, fee_required, paper_result,
                            full_online_eligible, for_citizens, is_certification, parts_complete)
VALUES ('1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 1, 'working_day', false, true, true, true, false, true),
       ('2.000815', 'Chứng thực bản sao từ bản chính', 'Chứng thực', 0.5, 'working_day', true, true, false, true, true, true),
       ('1.004227', 'Cấp giấy phép xây dựng', 'Xây dựng', 20, 'day', true, true, false, true, false, false);
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('P-NEG', 'Âm', -1);
INSERT INTO tthc.procedure (code, name, time_limit, time_unit) VALUES ('P-WEEK', 'Tuần', 1, 'week');
INSERT INTO tthc.procedure (code, name, time_limit, time_unit) VALUES ('P-MONTH', 'Nửa tháng', 0.5, 'month');
INSERT INTO tthc.procedure (code, name) VALUES ('1.001193', 'Trùng mã');

-- Services: who handles what, and how online
INSERT INTO tthc.service VALUES ('H26.X001', '1.001193', 'full'), ('H26.X001', '2.000815', NULL),
                                ('H26.STP', '1.004227', 'partial');
SELECT s.agency_id, s.procedure_code, s.online_level
  FROM tthc.service s ORDER BY 1, 2;
INSERT INTO tthc.service VALUES ('H26.X001', '9.999999', NULL);
INSERT INTO tthc.service VALUES ('NOPE', '1.001193', NULL);
INSERT INTO tthc.service VALUES ('H26.X002', '1.001193', 'some');

-- Announcements and reported volumes
INSERT INTO tthc.announcement (decision, agency_id, procedure_code, kind, decided_on, basis_effective_on, published_on)
VALUES ('123/QĐ-UBND', 'H26', '1.001193', 'amend', '2026-03-02', '2026-04-01', '2026-03-05');
SELECT decision, kind, decided_on, published_on FROM tthc.announcement;
INSERT INTO tthc.announcement (agency_id, procedure_code, kind, decided_on, published_on)
VALUES ('H26', '1.001193', 'amend', '2026-03-02', '2026-03-01');
INSERT INTO tthc.announcement (agency_id, procedure_code, kind, decided_on)
VALUES ('H26', '1.001193', 'rename', '2026-03-02');
INSERT INTO tthc.reported_volume VALUES ('H26', '2026-10-01', 12345);
INSERT INTO tthc.reported_volume VALUES ('H26', '2026-10-15', 1);
INSERT INTO tthc.reported_volume VALUES ('H26', '2026-11-01', -1);
