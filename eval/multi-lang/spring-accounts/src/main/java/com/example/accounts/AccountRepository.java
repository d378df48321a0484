package com.example.accounts;

import java.util.List;
import java.util.Optional;

public interface AccountRepository {
    Optional<Account> findByEmail(String email);
    Account findById(String id);
    List<Account> findAll();
    void saveResetCode(String email, String code);
}
