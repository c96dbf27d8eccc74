{#- The top $top contributors of each period of $period_seconds (UTC-aligned buckets):
    period start, rank within the period, the keys, the value, and how many distinct
    contributors the period had. -#}
WITH matched AS (
{% include "matched.sql" %}
),
per_period AS (
    SELECT
        time_bucket(to_seconds(CAST($period_seconds AS BIGINT)), eventTime) AS period,
{%- for key in keys %}
        key{{ loop.index0 }},
{%- endfor %}
        sum(contribution) AS value
    FROM matched
    GROUP BY 1{% for key in keys %}, {{ loop.index + 1 }}{% endfor %}
),
ranked AS (
    SELECT
        per_period.*,
        row_number() OVER (
            PARTITION BY period
            ORDER BY value DESC{% for key in keys %}, key{{ loop.index0 }}{% endfor %}
        ) AS rank,
        count(*) OVER (PARTITION BY period) AS contributors
    FROM per_period
)
SELECT
    period,
    CAST(rank AS INTEGER) AS rank,
{%- for key in keys %}
    key{{ loop.index0 }} AS {{ key.label }},
{%- endfor %}
    {% if value %}value{% else %}CAST(value AS BIGINT){% endif %} AS {{ value_label }},
    CAST(contributors AS INTEGER) AS contributors
FROM ranked
WHERE rank <= $top
ORDER BY period, rank
