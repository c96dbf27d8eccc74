{#- Macros shared by the contributor queries (Jinja; every value is a bound parameter).

    field(f):  the value at one JSON path of the rule: a typed column of `events` when the
               path names one (f.column, a quoted identifier path), else the text that
               json_extract_string finds at $<f.param> in the record (eventJson).
    condition(flt): one filter of the rule as a boolean over its field. A missing field
               fails every operator but IsPresent false, as in CloudWatch.
-#}
{% macro field(f) -%}
{% if f.column %}{{ f.column }}{% else %}json_extract_string(eventJson, ${{ f.param }}){% endif %}
{%- endmacro %}

{% macro condition(flt) -%}
{%- set v = field(flt.field) -%}
{%- set symbol = {'GreaterThan': '>', 'LessThan': '<', 'EqualTo': '=', 'NotEqualTo': '<>'} -%}
{%- if flt.operator == 'In' -%}
{{ v }} IN ({% for p in flt.params %}${{ p }}{{ ", " if not loop.last }}{% endfor %})
{%- elif flt.operator == 'NotIn' -%}
{{ v }} NOT IN ({% for p in flt.params %}${{ p }}{{ ", " if not loop.last }}{% endfor %})
{%- elif flt.operator == 'StartsWith' -%}
({% for p in flt.params %}starts_with({{ v }}, ${{ p }}){{ " OR " if not loop.last }}{% endfor %})
{%- elif flt.operator == 'IsPresent' -%}
({{ v }} IS NOT NULL) = ${{ flt.params[0] }}
{%- elif flt.numeric -%}
TRY_CAST({{ v }} AS DOUBLE) {{ symbol[flt.operator] }} ${{ flt.params[0] }}
{%- else -%}
{{ v }} {{ symbol[flt.operator] }} ${{ flt.params[0] }}
{%- endif -%}
{%- endmacro %}
