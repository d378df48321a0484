package com.example.orders.web;

import java.beans.XMLDecoder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thoughtworks.xstream.XStream;

@RestController
@RequestMapping("/orders")
public class OrderController {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper = new ObjectMapper();

    public OrderController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<Map<String, Object>> list(@RequestParam String status) {
        return jdbc.queryForList("SELECT id, total FROM orders WHERE status = '" + status + "'");
    }

    @GetMapping("/v2")
    public List<Map<String, Object>> listSafe(@RequestParam String status) {
        return jdbc.queryForList("SELECT id, total FROM orders WHERE status = ?", status);
    }

    @GetMapping("/sorted")
    public List<Map<String, Object>> sorted(@RequestParam(defaultValue = "id") String by) {
        String sql = String.format("SELECT id, total FROM orders ORDER BY %s", by);
        return jdbc.queryForList(sql);
    }

    @GetMapping("/sorted/v2")
    public List<Map<String, Object>> sortedSafe(@RequestParam(defaultValue = "id") String by) {
        String column = Map.of("id", "id", "total", "total").getOrDefault(by, "id");
        return jdbc.queryForList("SELECT id, total FROM orders ORDER BY " + column);
    }

    @PostMapping("/import")
    public ResponseEntity<?> importOrders(InputStream body) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(body)) {
            Object orders = in.readObject();
            return ResponseEntity.ok(orders.toString());
        }
    }

    @PostMapping("/import-json")
    public ResponseEntity<?> importJson(@RequestBody String body) throws Exception {
        Map<?, ?> orders = mapper.readValue(body, Map.class);
        return ResponseEntity.ok(orders.size());
    }

    @PostMapping("/import-xml")
    public ResponseEntity<?> importXml(@RequestBody byte[] body) {
        XMLDecoder d = new XMLDecoder(new ByteArrayInputStream(body));
        return ResponseEntity.ok(String.valueOf(d.readObject()));
    }

    @PostMapping("/import-yaml")
    public ResponseEntity<?> importYaml(@RequestBody String body) {
        Object doc = new Yaml().load(body);
        return ResponseEntity.ok(String.valueOf(doc));
    }

    @PostMapping("/import-yaml/v2")
    public ResponseEntity<?> importYamlSafe(@RequestBody String body) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(body);
        return ResponseEntity.ok(String.valueOf(doc));
    }

    @PostMapping("/import-xstream")
    public ResponseEntity<?> importXStream(@RequestBody String body) {
        XStream xs = new XStream();
        return ResponseEntity.ok(String.valueOf(xs.fromXML(body)));
    }

    @GetMapping("/restore")
    public ResponseEntity<?> restore(@CookieValue("cart") String cart) throws Exception {
        byte[] raw = Base64.getDecoder().decode(cart);
        Object o = new ObjectInputStream(new ByteArrayInputStream(raw)).readObject();
        return ResponseEntity.ok(String.valueOf(o));
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable long id) {
        return jdbc.queryForMap("SELECT id, total, status FROM orders WHERE id = ?", id);
    }
}
