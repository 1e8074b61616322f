-- fpdesk township file (乡镇汇总文件), baseline schema (version 1).
--
-- A DIFFERENT file from a village file: the township office (乡镇计生办) keeps its villages, their monthly files
-- as imported (every one, with its manifest: a correction 更正报 supersedes, never deletes), and the figures in
-- them. Villages' personal data (names, ID numbers of the change report) stay in the villages' own files; the
-- township keeps the counts it aggregates and scores.
--
-- Conventions
--   * Months are TEXT 'YYYY-MM'; days 'YYYY-MM-DD'; moments 'YYYY-MM-DDTHH:MM:SS' (local time).
--   * Later changes are named migrations in fpdesk/township/migrations.py, recorded in schema_migration.
--   * PRAGMA application_id marks the file as a township file (fpdesk.township.is_township_file).

PRAGMA foreign_keys = ON;

CREATE TABLE schema_migration (          -- 已应用的结构变更
    name        TEXT PRIMARY KEY,
    applied_at  TEXT NOT NULL
);

CREATE TABLE township (                  -- 乡镇 (exactly one row)
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL CHECK (trim(name) <> ''),
    county        TEXT NOT NULL DEFAULT '',
    created_on    TEXT NOT NULL,          -- the day the township file was made
    start_period  TEXT NOT NULL CHECK (start_period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),  -- earliest month taken
    deadline_day  INTEGER NOT NULL DEFAULT 5 CHECK (deadline_day BETWEEN 1 AND 28)  -- 报送截止：次月几日
);

CREATE TABLE village (                   -- 本乡镇的村
    code        TEXT PRIMARY KEY CHECK (length(code) = 12 AND code NOT GLOB '*[^0-9]*'),  -- 统计用区划代码
    name        TEXT NOT NULL CHECK (trim(name) <> ''),
    position    INTEGER NOT NULL,         -- order of the township's own list (villages.csv)
    added_on    TEXT NOT NULL
);

CREATE TABLE scheme_in_force (           -- 考核方案：from_period 起执行
    from_period TEXT PRIMARY KEY CHECK (from_period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    scheme_key  TEXT NOT NULL,            -- a shipped scheme's key, or the key inside scheme_toml
    scheme_toml TEXT,                     -- the township's own scheme file, kept whole (NULL = shipped scheme)
    set_on      TEXT NOT NULL
);

CREATE TABLE submission (                -- 每一份导入的村月报文件（含被更正替代的历史）
    id              INTEGER PRIMARY KEY,
    village_code    TEXT NOT NULL REFERENCES village(code),
    period          TEXT NOT NULL,        -- 报表月份
    correction      INTEGER NOT NULL DEFAULT 0,   -- 更正次数 (0 = 首次报送)
    content_sha256  TEXT NOT NULL,        -- the manifest's hash of the content: equal = identical report
    file_sha256     TEXT NOT NULL,        -- the file's own bytes
    file_name       TEXT NOT NULL,
    format_version  INTEGER NOT NULL,
    village_name    TEXT NOT NULL,        -- as the file names it
    generated_at    TEXT NOT NULL,        -- when the village made the file (manifest): counts as handed in
    as_of           TEXT,                 -- the day the village's data stood for
    app_version     TEXT NOT NULL DEFAULT '',
    score_scheme    TEXT NOT NULL DEFAULT '',   -- the village's own self-assessment: scheme, total, maximum,
    score_total     REAL,                       -- and the sheet's remarks (veto events, lagging, unassessed)
    score_maximum   REAL,
    score_remarks   TEXT NOT NULL DEFAULT '',
    findings_errors   INTEGER NOT NULL DEFAULT 0,
    findings_warnings INTEGER NOT NULL DEFAULT 0,
    manifest        TEXT NOT NULL,        -- the whole manifest, JSON
    imported_at     TEXT NOT NULL,
    superseded_by   INTEGER REFERENCES submission(id) DEFERRABLE INITIALLY DEFERRED,  -- its correction (NULL = in force)
    UNIQUE (village_code, period, content_sha256)
);
CREATE UNIQUE INDEX submission_in_force ON submission(village_code, period) WHERE superseded_by IS NULL;
CREATE INDEX submission_period ON submission(period);

CREATE TABLE table_figure (              -- 月报表 figures of one submission
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    key           TEXT NOT NULL,
    value         INTEGER NOT NULL,
    PRIMARY KEY (submission_id, key)
) WITHOUT ROWID;

CREATE TABLE indicator_figure (          -- 指标 numerator / denominator of one submission
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    key           TEXT NOT NULL,
    numerator     INTEGER NOT NULL,
    denominator   REAL NOT NULL,          -- a mean population may end in .5
    PRIMARY KEY (submission_id, key)
) WITHOUT ROWID;

CREATE TABLE finding_figure (            -- 问题汇总: check findings per rule of one submission (counts, no names)
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    code          TEXT NOT NULL,
    severity      TEXT NOT NULL,          -- error / warning
    kind          TEXT NOT NULL,          -- blank / logic / conformity / timeliness
    count         INTEGER NOT NULL,
    confirmed     INTEGER NOT NULL DEFAULT 0,   -- of which confirmed as exceptions by the clerk
    PRIMARY KEY (submission_id, code)
) WITHOUT ROWID;

CREATE TABLE score_figure (              -- 自评得分: the village's own sheet, per article and item
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    key           TEXT NOT NULL,          -- "article.1", "item.1.1"
    points        REAL NOT NULL,
    maximum       REAL NOT NULL,
    PRIMARY KEY (submission_id, key)
) WITHOUT ROWID;
