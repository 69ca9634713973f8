package dev.forge.node.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.node.app.CallRefused;
import dev.forge.node.mcp.ToolSchemas;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;

/**
 * REST bodies that are request and answer records, read and written as the MCP tools read and
 * write theirs ({@link ToolSchemas#JSON}: snake_case, absent nulls): a request record is checked
 * against its generated schema first, so a wrong body is {@code invalid_argument} in the tools'
 * words; an answer record (or a list of them) is written with exactly the fields its schema declares.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RecordBodies implements MessageBodyReader<Record>, MessageBodyWriter<Object> {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Override
    public boolean isReadable(Class<?> type, Type generic, Annotation[] annotations, MediaType media) {
        return type.isRecord() && isJson(media);
    }

    /** An empty body is an object with no fields: a record whose fields are all optional takes it. */
    @Override
    public Record readFrom(Class<Record> type, Type generic, Annotation[] annotations, MediaType media,
                           MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (bytes.length == 0) return ForgeMcp.read(type, Map.of());
        JsonNode json = ToolSchemas.JSON.readTree(bytes);
        if (!json.isObject()) throw CallRefused.invalid("the body must be a JSON object");
        return ForgeMcp.read(type, ToolSchemas.JSON.convertValue(json, MAP));
    }

    @Override
    public boolean isWriteable(Class<?> type, Type generic, Annotation[] annotations, MediaType media) {
        return isJson(media) && (type.isRecord() || Collection.class.isAssignableFrom(type) && ofRecords(generic));
    }

    @Override
    public void writeTo(Object answer, Class<?> type, Type generic, Annotation[] annotations, MediaType media,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        out.write(ToolSchemas.JSON.writeValueAsBytes(answer));
    }

    private static boolean ofRecords(Type generic) {
        return generic instanceof ParameterizedType list && list.getActualTypeArguments()[0] instanceof Class<?> item
                && item.isRecord();
    }

    private static boolean isJson(MediaType media) {
        return media == null || media.isCompatible(MediaType.APPLICATION_JSON_TYPE);
    }
}
