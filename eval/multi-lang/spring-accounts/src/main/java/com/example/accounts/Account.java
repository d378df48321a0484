package com.example.accounts;

public class Account {
    private String id;
    private String email;
    private String passwordHash;

    public String getId() { return id; }
    public String getEmail() { return email; }
    public String getPasswordHash() { return passwordHash; }
}
