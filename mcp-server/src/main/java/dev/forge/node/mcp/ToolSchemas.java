package dev.forge.node.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.PropertySortUtils;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.forge.economy.market.Cu;
import dev.forge.node.app.Amount;
import dev.forge.node.app.SignedAmount;
import jakarta.annotation.Nullable;

/**
 * The one JSON mapping of the tools' request and answer records, and the JSON Schemas generated
 * from them (victools, reading Jackson's names and descriptions and Jakarta Validation's bounds).
 * A record component is required unless it is {@link Nullable}; no object takes fields it does
 * not declare; an {@link Amount} is a string of the form {@link Cu#PATTERN}, a {@link SignedAmount}
 * one of {@link SignedAmount#PATTERN}.
 */
public final class ToolSchemas {
    /** snake_case names, absent fields for nulls, and no quiet conversions (10.5 is not an integer, "10" not a number). */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final SchemaGenerator GENERATOR = generator();
    private static final SchemaRegistry VALIDATORS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private ToolSchemas() {
    }

    /** The JSON Schema of a record as the tools read or write it. */
    public static ObjectNode of(Class<?> type) {
        ObjectNode schema = GENERATOR.generateSchema(type);
        wholeBounds(schema);
        return schema;
    }

    /** Bounds that are whole numbers written as such (10000000, not 1E+7), for every client and reader. */
    private static void wholeBounds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String bound : new String[] {"minimum", "maximum"}) {
                JsonNode value = object.get(bound);
                if (value != null && value.isBigDecimal() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
                    object.put(bound, value.decimalValue().toBigIntegerExact());
                }
            }
        }
        node.forEach(ToolSchemas::wholeBounds);
    }

    /** A validator of JSON against a schema (networknt, draft 2020-12). */
    public static Schema validator(ObjectNode schema) {
        return VALIDATORS.getSchema(schema);
    }

    private static SchemaGenerator generator() {
        var config = new SchemaGeneratorConfigBuilder(JSON, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
                .with(new JakartaValidationModule(JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.INLINE_ALL_SCHEMAS,
                        Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forTypesInGeneral().withPropertySorter(PropertySortUtils.SORT_PROPERTIES_FIELDS_BEFORE_METHODS)
                .withCustomDefinitionProvider((type, context) -> {
                    if (type.getErasedType() == Amount.class) return text(context, Cu.PATTERN, Cu.MAX_LENGTH);
                    if (type.getErasedType() == SignedAmount.class) return text(context, SignedAmount.PATTERN, SignedAmount.MAX_LENGTH);
                    return null;
                });
        config.forFields()
                .withPropertyNameOverrideResolver(field -> PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE
                        .translate(field.getDeclaredName()))
                .withRequiredCheck(field -> field.getAnnotationConsideringFieldAndGetter(Nullable.class) == null);
        return new SchemaGenerator(config.build());
    }

    private static CustomDefinition text(com.github.victools.jsonschema.generator.SchemaGenerationContext context,
                                         String pattern, int maxLength) {
        return new CustomDefinition(context.getGeneratorConfig().createObjectNode().put("type", "string")
                .put("pattern", pattern).put("maxLength", maxLength));
    }
}
