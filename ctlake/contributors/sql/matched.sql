{#- The events a rule counts, one row each: its time, its key values key0..keyN and what
    it contributes (1 for Count; the number at ValueOf for Sum). An event lacking a key,
    or (for Sum) a numeric ValueOf, does not contribute. -#}
{%- from "_macros.sql" import field, condition -%}
SELECT
    eventTime,
{%- for key in keys %}
    {{ field(key) }} AS key{{ loop.index0 }},
{%- endfor %}
    {% if value %}TRY_CAST({{ field(value) }} AS DOUBLE){% else %}CAST(1 AS DOUBLE){% endif %} AS contribution
FROM events
WHERE ($since IS NULL OR eventTime >= $since)
    AND ($until IS NULL OR eventTime < $until)
    AND ($since IS NULL OR eventDate >= CAST($since AS DATE))  -- lets DuckDB skip partitions
    AND ($until IS NULL OR eventDate <= CAST($until AS DATE))
{%- for flt in filters %}
    AND {{ condition(flt) }}
{%- endfor %}
{%- for key in keys %}
    AND {{ field(key) }} IS NOT NULL
{%- endfor %}
{%- if value %}
    AND TRY_CAST({{ field(value) }} AS DOUBLE) IS NOT NULL
{%- endif %}
