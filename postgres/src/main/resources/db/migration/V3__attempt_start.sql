-- When the current attempt was claimed: started_at keeps the first attempt's start,
-- this one lets a result say how long its own attempt ran.
ALTER TABLE tasks ADD COLUMN attempt_started_at timestamptz;
