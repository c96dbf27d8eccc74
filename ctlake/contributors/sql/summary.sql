{#- One row: events matched, distinct contributors, and the aggregate over all of them. -#}
WITH matched AS (
{% include "matched.sql" %}
),
contributors AS (
    SELECT {% for key in keys %}key{{ loop.index0 }}{{ ", " if not loop.last }}{% endfor %}
    FROM matched
    GROUP BY {% for key in keys %}{{ loop.index }}{{ ", " if not loop.last }}{% endfor %}
)
SELECT
    (SELECT count(*) FROM matched) AS events,
    (SELECT count(*) FROM contributors) AS contributors,
    (SELECT CAST(coalesce(sum(contribution), 0) AS DOUBLE) FROM matched) AS total
