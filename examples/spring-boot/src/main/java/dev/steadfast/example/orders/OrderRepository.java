package dev.steadfast.example.orders;

import org.springframework.data.jpa.repository.JpaRepository;

/** Orders through Spring Data JPA. */
public interface OrderRepository extends JpaRepository<OrderEntity, Long> {
}
