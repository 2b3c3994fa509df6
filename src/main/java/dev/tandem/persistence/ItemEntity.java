package dev.tandem.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of table {@code item}: something a user can order. Persistence only; see
 * {@link OrderMapper} for the proto {@code orders.v1.Item}.
 */
@Entity
@Table(name = "item")
public class ItemEntity extends PanacheEntityBase {

    /** Maximum length of {@link #name}, in characters ({@code varchar(255)}). */
    public static final int NAME_MAX = 255;

    /** Database-assigned identity, > 0. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Integer id;

    /** Display name, not blank. */
    @Column(name = "name", nullable = false, length = NAME_MAX)
    public String name;
}
