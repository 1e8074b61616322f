-- fpdesk village file, baseline schema (version 1).
--
-- One set of linked records; the five ledgers (一牌一单一卡两册) are views of it:
--   board 公示牌            <- counts over person / birth / measure
--   change report 报告单    <- change_event (+ birth for part 2)
--   card 档案卡             <- person (a married woman 15-49) + marriage + birth + measure + pregnancy + service ...
--   management book 管理册  <- person by household/group, birth, measure, pregnancy, migration, certificate
--   service book 服务册     <- service, benefit
--
-- Conventions
--   * Dates are TEXT 'YYYY-MM-DD' and must be real calendar dates (the DATE_OK checks below).
--   * Codes are TEXT; their labels live in resources/codes.toml. The core validates codes on every write.
--   * Nobody is deleted: the dead and the departed stay, with death_date / moved_out_date.
--   * Later changes to this file are named migrations in fpdesk/migrations.py, recorded in schema_migration.
--   * Money is stored in fen (分, integer) so sums are exact.

PRAGMA foreign_keys = ON;

CREATE TABLE schema_migration (          -- 已应用的结构变更
    name        TEXT PRIMARY KEY,
    applied_at  TEXT NOT NULL
);

CREATE TABLE village (                   -- 村信息 (exactly one row)
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    code        TEXT NOT NULL CHECK (length(code) = 12 AND code NOT GLOB '*[^0-9]*'),   -- 统计用区划代码
    name        TEXT NOT NULL CHECK (trim(name) <> ''),
    township    TEXT NOT NULL DEFAULT '',
    county      TEXT NOT NULL DEFAULT '',
    clerk       TEXT NOT NULL DEFAULT '',  -- 计生专干
    phone       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE village_group (             -- 村民小组
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
    head_name   TEXT NOT NULL DEFAULT ''   -- 中心户长
);

CREATE TABLE household (                 -- 户
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE CHECK (trim(number) <> ''),  -- 户编号
    group_id    INTEGER REFERENCES village_group(id),
    address     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE person (                    -- 人员: everyone, men and children, the dead and departed too
    id                  INTEGER PRIMARY KEY,
    roster_no           TEXT UNIQUE,                    -- 人员编号 (the roster workbook's own number)
    household_id        INTEGER REFERENCES household(id),
    relation            TEXT,                           -- 与户主关系 (relation)
    name                TEXT NOT NULL CHECK (trim(name) <> ''),
    sex                 TEXT NOT NULL CHECK (sex IN ('1', '2')),
    birth_date          TEXT CHECK (birth_date IS NULL OR date(birth_date, '+0 days') IS birth_date),
    id_number           TEXT,                           -- 身份证号 (checked, never refused)
    ethnicity           TEXT,
    education           TEXT,
    hukou               TEXT,                           -- 户口性质
    occupation          TEXT NOT NULL DEFAULT '',
    marital_status      TEXT,                           -- 婚姻状况 as the ledgers record it
    first_marriage_date TEXT CHECK (first_marriage_date IS NULL OR date(first_marriage_date, '+0 days') IS first_marriage_date),
    marital_change_date TEXT CHECK (marital_change_date IS NULL OR date(marital_change_date, '+0 days') IS marital_change_date),
    residence           TEXT NOT NULL DEFAULT '1',      -- 居住状况: 1 常住 2 流出 3 流入
    moved_in_date       TEXT CHECK (moved_in_date IS NULL OR date(moved_in_date, '+0 days') IS moved_in_date),
    moved_out_date      TEXT CHECK (moved_out_date IS NULL OR date(moved_out_date, '+0 days') IS moved_out_date),
    death_date          TEXT CHECK (death_date IS NULL OR date(death_date, '+0 days') IS death_date),
    only_child          INTEGER NOT NULL DEFAULT 0 CHECK (only_child IN (0, 1)),  -- 独生子女 (of the person)
    note                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_id_number ON person(id_number);

CREATE TABLE marriage (                  -- a person's spouse record (each partner in the village has their own row)
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL REFERENCES person(id),
    spouse_id           INTEGER REFERENCES person(id),  -- spouse in the village
    spouse_name         TEXT NOT NULL DEFAULT '',       -- spouse outside the village (or a copy for the form)
    spouse_id_number    TEXT NOT NULL DEFAULT '',
    spouse_birth_date   TEXT CHECK (spouse_birth_date IS NULL OR date(spouse_birth_date, '+0 days') IS spouse_birth_date),
    spouse_ethnicity    TEXT,
    spouse_education    TEXT,
    spouse_hukou        TEXT,
    spouse_occupation   TEXT NOT NULL DEFAULT '',
    spouse_only_child   INTEGER NOT NULL DEFAULT 0 CHECK (spouse_only_child IN (0, 1)),
    kind                TEXT NOT NULL DEFAULT '21',     -- marital_status code: 21 初婚 22 再婚 23 复婚
    start_date          TEXT CHECK (start_date IS NULL OR date(start_date, '+0 days') IS start_date),
    end_date            TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),
    end_reason          TEXT CHECK (end_reason IS NULL OR end_reason IN ('30', '40')),  -- 30 丧偶 40 离婚
    CHECK (spouse_id IS NULL OR spouse_id <> person_id),
    CHECK ((end_date IS NULL) = (end_reason IS NULL))
);
CREATE INDEX marriage_person ON marriage(person_id);
CREATE INDEX marriage_spouse ON marriage(spouse_id);

CREATE TABLE birth (                     -- 生育: one row per child a woman bore or raises
    id              INTEGER PRIMARY KEY,
    mother_id       INTEGER NOT NULL REFERENCES person(id),
    child_id        INTEGER REFERENCES person(id),      -- the child's own person row, when in the village
    child_name      TEXT NOT NULL CHECK (trim(child_name) <> ''),
    child_sex       TEXT NOT NULL CHECK (child_sex IN ('1', '2')),
    birth_date      TEXT NOT NULL CHECK (date(birth_date, '+0 days') IS birth_date),
    birth_order     INTEGER NOT NULL CHECK (birth_order >= 1),   -- 孩次
    policy_status   TEXT,                               -- 1 政策内 2 政策外
    birth_cert_no   TEXT NOT NULL DEFAULT '',           -- 出生医学证明编号
    blood_relation  TEXT NOT NULL DEFAULT '1',          -- 1 亲生 2 收养 3 继子女
    health          TEXT NOT NULL DEFAULT '1'
);
CREATE INDEX birth_mother ON birth(mother_id);
CREATE INDEX birth_child ON birth(child_id);

CREATE TABLE measure (                   -- 节育措施: current and past
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL REFERENCES person(id),
    method              TEXT NOT NULL,                  -- method code; 000 = none (未避孕)
    start_date          TEXT CHECK (start_date IS NULL OR date(start_date, '+0 days') IS start_date),
    end_date            TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),
    institution         TEXT NOT NULL DEFAULT '',
    change_reason       TEXT NOT NULL DEFAULT '',
    no_measure_reason   TEXT                            -- A10 ... when method is 000
);
CREATE INDEX measure_person ON measure(person_id);

CREATE TABLE pregnancy (                 -- 孕情
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    lmp_date        TEXT NOT NULL CHECK (date(lmp_date, '+0 days') IS lmp_date),     -- 末次月经
    registered_date TEXT CHECK (registered_date IS NULL OR date(registered_date, '+0 days') IS registered_date),
    expected_date   TEXT CHECK (expected_date IS NULL OR date(expected_date, '+0 days') IS expected_date),
    policy_status   TEXT,
    outcome         TEXT,                               -- pregnancy_outcome code; NULL = ongoing
    end_date        TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),
    end_place       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pregnancy_person ON pregnancy(person_id);

CREATE TABLE service (                   -- 服务册: check-ups, follow-ups, supplies, education
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    kind            TEXT NOT NULL,                      -- service_kind code
    service_date    TEXT NOT NULL CHECK (date(service_date, '+0 days') IS service_date),
    result          TEXT NOT NULL DEFAULT '',
    institution     TEXT NOT NULL DEFAULT '',
    item            TEXT NOT NULL DEFAULT '',           -- supplies handed out (药具)
    quantity        INTEGER CHECK (quantity IS NULL OR quantity >= 0)
);
CREATE INDEX service_person ON service(person_id);
CREATE INDEX service_date ON service(service_date);

CREATE TABLE benefit (                   -- 奖扶
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    kind            TEXT NOT NULL,                      -- benefit_kind code
    year            INTEGER NOT NULL CHECK (year BETWEEN 1970 AND 2100),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    paid_date       TEXT CHECK (paid_date IS NULL OR date(paid_date, '+0 days') IS paid_date)
);
CREATE INDEX benefit_person ON benefit(person_id);

CREATE TABLE migration (                 -- 流动人口: inflow and outflow (moves of hukou are on person)
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    kind            TEXT NOT NULL CHECK (kind IN ('1', '2')),   -- 1 流入 2 流出
    start_date      TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
    place           TEXT NOT NULL DEFAULT '',           -- where from (流入) / to (流出)
    end_date        TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),  -- returned / left again
    certificate_no  TEXT NOT NULL DEFAULT ''            -- 婚育证明 number, historical
);
CREATE INDEX migration_person ON migration(person_id);

CREATE TABLE certificate (               -- 证件
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    kind            TEXT NOT NULL,                      -- certificate code
    number          TEXT NOT NULL DEFAULT '',
    issued_date     TEXT CHECK (issued_date IS NULL OR date(issued_date, '+0 days') IS issued_date)
);
CREATE INDEX certificate_person ON certificate(person_id);

CREATE TABLE operation (                 -- one row per clerk action (one transaction)
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,                          -- timestamp, local time, ISO 8601
    user        TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,                          -- service function name, e.g. record_birth
    summary     TEXT NOT NULL DEFAULT ''                -- what the clerk did, in Chinese
);

CREATE TABLE audit_log (                 -- 修改记录: old -> new for every field written
    id          INTEGER PRIMARY KEY,
    op_id       INTEGER NOT NULL REFERENCES operation(id),
    table_name  TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete')),
    field       TEXT,                                   -- NULL for insert/delete: the whole row is in the JSON
    old_value   TEXT,
    new_value   TEXT
);
CREATE INDEX audit_record ON audit_log(table_name, record_id);
CREATE INDEX audit_op ON audit_log(op_id);

CREATE TABLE change_event (              -- 变动: what the monthly change report lists
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    change_type     TEXT NOT NULL,                      -- change_type code (01 初婚 ... 10 出生)
    occurred_date   TEXT NOT NULL CHECK (date(occurred_date, '+0 days') IS occurred_date),  -- when it happened
    entered_date    TEXT NOT NULL CHECK (date(entered_date, '+0 days') IS entered_date),    -- when it was recorded
    report_period   TEXT NOT NULL CHECK (report_period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),  -- which month's report
    record_table    TEXT,                               -- the record behind it (birth, marriage, migration ...)
    record_id       INTEGER,
    op_id           INTEGER REFERENCES operation(id),
    CHECK (entered_date >= occurred_date)
);
CREATE INDEX change_event_period ON change_event(report_period);
CREATE INDEX change_event_person ON change_event(person_id);

CREATE TABLE setting (                   -- 设置: deadline day, scheme, timeliness days ...
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);

CREATE TABLE period_lock (               -- 报送: a submitted month is locked
    period          TEXT PRIMARY KEY CHECK (period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    submitted_at    TEXT NOT NULL,
    correction_no   INTEGER NOT NULL DEFAULT 0,         -- 0 = first submission, n = n-th 更正报
    locked          INTEGER NOT NULL DEFAULT 1 CHECK (locked IN (0, 1)),
    unlock_reason   TEXT NOT NULL DEFAULT ''
);
