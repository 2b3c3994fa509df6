package dev.tandem.persistence;

import dev.tandem.persistence.ConcurrencyControlledEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of table {@code users}. Persistence only: it never leaves the service layer; see
 * {@link UserMapper} for the proto {@code user.v1.User}. Orders are not mapped as a collection here
 * on purpose: services load them with one query per request (no lazy loading, no N+1).
 */
@Entity
@Table(name = "users")
public class UserEntity extends ConcurrencyControlledEntity {

    /** Maximum length of {@link #firstName} and {@link #lastName}, in characters ({@code varchar(100)}). */
    public static final int NAME_MAX = 100;
    /** Maximum length of {@link #email}, in characters ({@code varchar(254)}, RFC 5321 path limit). */
    public static final int EMAIL_MAX = 254;

    /** Database-assigned identity, > 0. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Integer id;

    /** Given name, not blank. */
    @Column(name = "first_name", nullable = false, length = NAME_MAX)
    public String firstName;

    /** Family name, not blank. */
    @Column(name = "last_name", nullable = false, length = NAME_MAX)
    public String lastName;

    /** E-mail address as entered; unique case-insensitively (index {@code users_email_lower_uq}). */
    @Column(name = "email", nullable = false, length = EMAIL_MAX)
    public String email;
}
