/*
kind: incremental
time_column: minute
lookback: 0m
grain: [namespace, metric_name, dimensions, minute]
description: >
  CloudWatch metric filters' datapoints per metric, dimensions and minute (contract table).
  Each `[[metrics.filter]]` of ctlake.toml reaches this model compiled (the Jinja value
  `metric_filters`): an event its pattern matches gives a datapoint of the filter's value
  (1, a number, or a field of the record; none when that field is absent or not a number,
  or a dimension's field is absent); a filter with a default value publishes it once for
  every minute that has events but none of its datapoints, as CloudWatch does for log
  events that do not match. Filters of the same metric share its rows. A row at minute t
  reads the events of minute t only. Columns: namespace, metric_name, dimensions (compact
  JSON object, keys sorted, '{}' when none), minute, sample_count, sum, minimum, maximum
  and "values" (every datapoint of the minute, sorted, for percentiles).
*/
{% set in_window %}
        eventTime >= {{ start }}
        AND eventTime < {{ end }}
        AND eventDate >= CAST({{ start }} AS DATE)
        AND eventDate <= CAST({{ end }} AS DATE)
{% endset %}
WITH event_minutes AS (
    SELECT DISTINCT date_trunc('minute', eventTime) AS minute
    FROM events
    WHERE {{ in_window }}
),

-- One pass over the window's events: each filter's pattern evaluated once per event
-- (matched_N), then its value (and dimensions) where it matched, NULL elsewhere; so the
-- events are read once whatever the number of filters.
evaluated AS (
    SELECT
{% for f in metric_filters | default([]) %}
        CASE WHEN matched_{{ loop.index }} THEN {{ f.value }} END AS value_{{ loop.index }},
        CASE WHEN matched_{{ loop.index }} THEN {{ f.dimensions }} END
            AS dimensions_{{ loop.index }},
{% endfor %}
        minute
    FROM (
        SELECT
            *,
{% for f in metric_filters | default([]) %}
            COALESCE({{ f.where }}, FALSE) AS matched_{{ loop.index }},
{% endfor %}
            date_trunc('minute', eventTime) AS minute
        FROM events
        WHERE {{ in_window }}
    ) AS window_events
),

points AS (
    SELECT
        CAST(NULL AS VARCHAR) AS namespace,
        CAST(NULL AS VARCHAR) AS metric_name,
        CAST(NULL AS VARCHAR) AS dimensions,
        CAST(NULL AS TIMESTAMP) AS minute,
        CAST(NULL AS DOUBLE) AS value
    FROM event_minutes
    WHERE FALSE
{% for f in metric_filters | default([]) %}

    UNION ALL

    SELECT
        {{ f.namespace }},
        {{ f.metric_name }},
        dimensions_{{ loop.index }},
        minute,
        value_{{ loop.index }}
    FROM evaluated
    WHERE value_{{ loop.index }} IS NOT NULL
{% if f.default is not none %}

    UNION ALL

    SELECT {{ f.namespace }}, {{ f.metric_name }}, '{}', minute, {{ f.default }}
    FROM event_minutes
    WHERE minute NOT IN (
        SELECT minute FROM evaluated WHERE value_{{ loop.index }} IS NOT NULL
    )
{% endif %}
{% endfor %}
)

SELECT
    namespace,
    metric_name,
    dimensions,
    minute,
    CAST(count(*) AS BIGINT) AS sample_count,
    sum(value) AS sum,
    min(value) AS minimum,
    max(value) AS maximum,
    list_sort(list(value)) AS "values"
FROM points
GROUP BY 1, 2, 3, 4
