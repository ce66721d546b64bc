-- A project's own site, and what its funding and its skills wanted are for.
ALTER TABLE projects ADD COLUMN link TEXT;
ALTER TABLE projects ADD COLUMN funding_use TEXT;
ALTER TABLE projects ADD COLUMN skills_use TEXT;
