package io.archfarm.portal.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * No JSON string the API reads may hold a NUL character ({@code \\u0000}): PostgreSQL's text cannot store one, and
 * no name, URL, tag or argument of the farm needs one. Refused while the body is read, so the answer is a 400 that
 * names the field ({@link ProblemHandler}), not a database error.
 */
@Configuration(proxyBeanMethods = false)
class TextWithoutNul {

    static final String REFUSED = "contains a NUL character";

    @Bean
    JsonMapperBuilderCustomizer refuseNulInStrings() {
        SimpleModule module = new SimpleModule("archfarm-text-without-nul");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        return builder -> builder.addModule(module);
    }

    static boolean hasNul(String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    private static final class Strings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (hasNul(value)) {
                throw InvalidFormatException.from(parser, REFUSED, value, String.class);
            }
            return value;
        }
    }

    private static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            if (hasNul(key)) {
                throw InvalidFormatException.from(context.getParser(), REFUSED, key, String.class);
            }
            return key;
        }
    }
}
