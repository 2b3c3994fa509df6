package dev.tandem.order;

import dev.tandem.persistence.ItemEntity;

import com.google.api.HttpBody;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.ImportItemsRequest;
import dev.tandem.api.orders.v1.ImportItemsResponse;
import dev.tandem.error.BadRequestBuilder;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ListItemsResponse;
import dev.tandem.error.ApiErrors;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Use cases of {@code orders.v1.ItemService}: the item catalogue; each write is one transaction, reads
 * run in auto-commit (see {@code dev.tandem.rpc.OffloadingHandler}). Blocking
 * (JDBC): call it from a worker thread, as {@code dev.tandem.rpc.ServiceDecorator} does for every RPC. Requests
 * arrive validated against the rules of {@code order.proto} by {@code
 * dev.tandem.validation.ValidationInterceptor}.
 */
@ApplicationScoped
public class ItemService {

    /**
     * ListItems: every item, by id. Not paginated: the catalogue is small (proto comment).
     *
     * @return all items
     */
    public ListItemsResponse list() {
        ListItemsResponse.Builder response = ListItemsResponse.newBuilder();
        ItemEntity.<ItemEntity>listAll(Sort.by("id")).forEach(i -> response.addItems(OrderMapper.item(i)));
        return response.build();
    }

    /**
     * GetItem.
     *
     * @param request {@code id} > 0 (validated)
     * @return the item
     * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} when there is no such item
     */
    public Item get(GetItemRequest request) {
        ItemEntity item = ItemEntity.findById(request.getId());
        if (item == null) {
            throw ApiErrors.notFound("item", request.getId());
        }
        return OrderMapper.item(item);
    }

    /**
     * CreateItem. The name is stored without surrounding whitespace; names need not be unique.
     *
     * @param request {@code name} not blank, at most {@value ItemEntity#NAME_MAX} characters, no
     *     control characters (validated, so it is not blank once stripped either)
     * @return the new item with its id
     */
    @Transactional
    public Item create(CreateItemRequest request) {
        String name = request.getName().strip();
        ItemEntity item = new ItemEntity();
        item.name = name;
        item.persistAndFlush();
        return OrderMapper.item(item);
    }

    /** The one column of an items CSV file, its header line. */
    static final String CSV_HEADER = "name";

    /** At most this many bad lines are reported; the rest are counted. */
    static final int MAX_VIOLATIONS = 100;

    /** Items inserted between two clears of the persistence context, so that it stays small. */
    private static final int CLEAR_EVERY = 1000;

    /** CreateItem's {@code name.not_blank}: some character that is neither {@code \\s} nor {@code \\p{Z}}. */
    private static final Pattern NOT_BLANK = Pattern.compile("[^\\s\\p{Z}]");

    /** CreateItem's {@code name.no_control}. */
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    /**
     * ImportItems: adds the items of a CSV file in one transaction, after checking every line.
     *
     * <p>The file: RFC 4180 ({@link Csv}), UTF-8; line 1 the header {@value #CSV_HEADER}; each further
     * record one field, an item name under CreateItem's rules (not blank, at most {@value
     * ItemEntity#NAME_MAX} characters, no control characters), stored without surrounding whitespace.
     *
     * @param request {@code http_body} set (validated): {@code content_type} {@code text/csv}, with
     *     {@code charset=utf-8} or none; {@code data} the file
     * @return how many items were created (records after the header)
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT}, with nothing written: on {@code
     *     http_body.content_type} for another media type or charset; on {@code http_body.data} for
     *     bytes that are not UTF-8; else a {@code google.rpc.BadRequest} field violation {@code line N}
     *     per bad line (at most {@value #MAX_VIOLATIONS}; N from 1, the header being line 1): not CSV,
     *     a missing or wrong header, a record of more than one field, a name CreateItem would refuse
     */
    @Transactional
    public ImportItemsResponse importCsv(ImportItemsRequest request) {
        HttpBody body = request.getHttpBody();
        checkCsvContentType(body.getContentType());
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.getData().toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiErrors.invalidArgument("http_body.data", "is not valid UTF-8");
        }
        List<Csv.Record> records;
        try {
            records = Csv.parse(text);
        } catch (Csv.Malformed e) {
            throw ApiErrors.invalidArgument(line(e.line()), "is not CSV (RFC 4180): " + e.getMessage());
        }
        BadRequestBuilder bad = new BadRequestBuilder();
        if (records.isEmpty() || !records.get(0).fields().equals(List.of(CSV_HEADER))) {
            bad.add(line(1), "must be the header \"" + CSV_HEADER + "\"");
        }
        List<String> names = new ArrayList<>();
        int violations = bad.isEmpty() ? 0 : 1;
        for (Csv.Record r : records.subList(Math.min(1, records.size()), records.size())) {
            String problem = nameProblem(r);
            if (problem == null) {
                names.add(r.fields().get(0).strip());
            } else if (++violations <= MAX_VIOLATIONS) {
                bad.add(line(r.line()), problem);
            }
        }
        if (violations > MAX_VIOLATIONS) {
            bad.add("http_body.data", "has " + (violations - MAX_VIOLATIONS) + " more bad lines");
        }
        bad.throwIfAny();
        for (int i = 0; i < names.size(); i++) {
            ItemEntity item = new ItemEntity();
            item.name = names.get(i);
            item.persist();
            if ((i + 1) % CLEAR_EVERY == 0) {
                ItemEntity.getEntityManager().flush();
                ItemEntity.getEntityManager().clear();
            }
        }
        return ImportItemsResponse.newBuilder().setCreatedCount(names.size()).build();
    }

    private static String line(int n) {
        return "line " + n;
    }

    /** @return why the record is no item name, as CreateItem's validation says it, or {@code null} */
    private static String nameProblem(Csv.Record r) {
        if (r.fields().size() != 1) {
            return "has " + r.fields().size() + " fields; each line is one name (quote a name that holds a comma)";
        }
        String name = r.fields().get(0);
        if (!NOT_BLANK.matcher(name).find()) {
            return "name must not be blank";
        }
        if (name.codePointCount(0, name.length()) > ItemEntity.NAME_MAX) {
            return "name must be at most " + ItemEntity.NAME_MAX + " characters";
        }
        if (CONTROL.matcher(name).find()) {
            return "name must not contain control characters";
        }
        return null;
    }

    /**
     * RFC 4180 section 3 registers {@code text/csv} with an optional {@code charset} (and {@code
     * header}) parameter; the file must be UTF-8, so another charset is refused.
     */
    private static void checkCsvContentType(String contentType) {
        String[] parts = contentType.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("text/csv")) {
            throw ApiErrors.invalidArgument("http_body.content_type",
                    "must be text/csv, not \"" + (media.isEmpty() ? "(none)" : media) + "\"");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")) {
                String charset = kv[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("us-ascii")) {
                    throw ApiErrors.invalidArgument("http_body.content_type",
                            "charset must be utf-8, not \"" + charset + "\"");
                }
            }
        }
    }
}
