{#- The top $top contributors over the whole time range: rank, the keys (named after their
    JSON paths), the aggregate value and its share of the total in percent. -#}
WITH matched AS (
{% include "matched.sql" %}
),
contributors AS (
    SELECT
{%- for key in keys %}
        key{{ loop.index0 }},
{%- endfor %}
        sum(contribution) AS value
    FROM matched
    GROUP BY {% for key in keys %}{{ loop.index }}{{ ", " if not loop.last }}{% endfor %}
),
ranked AS (
    SELECT
        row_number() OVER (
            ORDER BY value DESC{% for key in keys %}, key{{ loop.index0 }}{% endfor %}
        ) AS rank,
        contributors.*,
        value * 100.0 / sum(value) OVER () AS share
    FROM contributors
)
SELECT
    CAST(rank AS INTEGER) AS rank,
{%- for key in keys %}
    key{{ loop.index0 }} AS {{ key.label }},
{%- endfor %}
    {% if value %}value{% else %}CAST(value AS BIGINT){% endif %} AS {{ value_label }},
    CAST(round(share, 2) AS DOUBLE) AS "percent"
FROM ranked
WHERE rank <= $top
ORDER BY rank
