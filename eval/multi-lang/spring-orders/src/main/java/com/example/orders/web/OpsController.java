package com.example.orders.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/internal/ops")
public class OpsController {

    private static final String SHELL = "/bin/sh";
    private final Runtime rt = Runtime.getRuntime();

    @PostMapping("/exec")
    public String exec(@RequestBody String cmd) throws IOException {
        Process p = rt.exec(new String[] {SHELL, "-c", cmd});
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @GetMapping("/ping")
    public String ping(@RequestParam String host) throws IOException {
        Process p = Runtime.getRuntime().exec("ping -c 1 " + host);
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @GetMapping("/ping/v2")
    public String pingSafe(@RequestParam String host) throws IOException {
        if (!host.matches("[A-Za-z0-9.-]+")) throw new IllegalArgumentException("bad host");
        Process p = new ProcessBuilder("ping", "-c", "1", host).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @GetMapping("/grep")
    public String grep(HttpServletRequest req) throws IOException {
        List<String> cmd = List.of("bash", "-c", "grep -r " + req.getParameter("pattern") + " /var/log/orders");
        Process p = new ProcessBuilder(cmd).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @PostMapping("/script")
    public Object script(@RequestParam String expr) throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        return engine.eval(expr);
    }

    @GetMapping("/uptime")
    public String uptime() throws IOException {
        Process p = new ProcessBuilder("uptime").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @PostMapping("/reflect")
    public Object reflect(@RequestParam String cls, @RequestParam String method) throws Exception {
        Class<?> c = Class.forName(cls);
        return c.getMethod(method).invoke(c.getDeclaredConstructor().newInstance());
    }
}
