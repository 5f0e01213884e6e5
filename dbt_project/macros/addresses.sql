{#
    Trackstar's docs name three fields of the ship-to address (of an order, a cart order and a
    shipment) two ways: the OpenAPI spec says full_name, postal_code and email_address, the
    example pages of WMS and cart orders name, zip_code and email. Staging reads both.

    ship_to_address_columns(relation='source'): the staging columns of that address, one per
    field, each pair merged under the spec's name (the one the marts use). The models list the
    raw columns they read (`ship_to_address__<field>`, both names of a pair) in their
    select_*_source call, where the documented-fields test reads them.
#}
{% macro ship_to_address_columns(relation='source') -%}
    {%- set aliases = {'full_name': 'name', 'postal_code': 'zip_code', 'email_address': 'email'} -%}
    {%- set items = [] -%}
    {%- for field in ['full_name', 'company', 'address1', 'address2', 'address3', 'city', 'state',
        'postal_code', 'country', 'phone_number', 'email_address'] -%}
        {%- set column = relation ~ '.ship_to_address__' ~ field -%}
        {%- if field in aliases -%}
            {%- set column = 'coalesce(' ~ column ~ ', ' ~ relation ~ '.ship_to_address__'
                ~ aliases[field] ~ ') as ship_to_address__' ~ field -%}
        {%- endif -%}
        {%- do items.append(column) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}
